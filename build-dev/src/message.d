build-dev/src/message.o: src/message.c src/address.h src/conf.h \
 src/util.h src/charset.h src/classify.h src/message.h src/extract.h \
 src/headers.h src/json.h src/mime.h src/mime_scan.h src/rfc2047.h \
 src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/charset.h:
src/classify.h:
src/message.h:
src/extract.h:
src/headers.h:
src/json.h:
src/mime.h:
src/mime_scan.h:
src/rfc2047.h:
src/banned.h:
