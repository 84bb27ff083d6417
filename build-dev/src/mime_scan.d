build-dev/src/mime_scan.o: src/mime_scan.c src/mime_scan.h src/message.h \
 src/conf.h src/util.h src/banned.h
src/mime_scan.h:
src/message.h:
src/conf.h:
src/util.h:
src/banned.h:
