build-dev/src/rfc2047.o: src/rfc2047.c src/charset.h src/util.h \
 src/codec.h src/rfc2047.h src/banned.h
src/charset.h:
src/util.h:
src/codec.h:
src/rfc2047.h:
src/banned.h:
