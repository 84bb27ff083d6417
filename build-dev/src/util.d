build-dev/src/util.o: src/util.c src/fsroot.h src/util.h src/banned.h
src/fsroot.h:
src/util.h:
src/banned.h:
