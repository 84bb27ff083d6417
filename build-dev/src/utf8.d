build-dev/src/utf8.o: src/utf8.c src/utf8.h src/util.h src/banned.h
src/utf8.h:
src/util.h:
src/banned.h:
