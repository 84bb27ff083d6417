build-dev/src/fsroot.o: src/fsroot.c src/fsroot.h src/util.h src/banned.h
src/fsroot.h:
src/util.h:
src/banned.h:
