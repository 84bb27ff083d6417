build-dev/src/mime.o: src/mime.c src/charset.h src/util.h src/codec.h \
 src/flowed.h src/htmltext.h src/mime.h src/message.h src/conf.h \
 src/mime_scan.h src/banned.h
src/charset.h:
src/util.h:
src/codec.h:
src/flowed.h:
src/htmltext.h:
src/mime.h:
src/message.h:
src/conf.h:
src/mime_scan.h:
src/banned.h:
