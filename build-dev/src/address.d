build-dev/src/address.o: src/address.c src/address.h src/conf.h \
 src/util.h src/utf8.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/utf8.h:
src/banned.h:
