build-dev/src/charset.o: src/charset.c src/charset.h src/util.h \
 src/utf8.h src/banned.h
src/charset.h:
src/util.h:
src/utf8.h:
src/banned.h:
