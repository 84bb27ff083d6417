build-dev/src/classify.o: src/classify.c src/address.h src/conf.h \
 src/util.h src/classify.h src/message.h src/headers.h src/utf8.h \
 src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/classify.h:
src/message.h:
src/headers.h:
src/utf8.h:
src/banned.h:
