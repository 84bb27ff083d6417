build-dev/src/codec.o: src/codec.c src/codec.h src/util.h src/banned.h
src/codec.h:
src/util.h:
src/banned.h:
