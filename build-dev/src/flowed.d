build-dev/src/flowed.o: src/flowed.c src/flowed.h src/util.h src/banned.h
src/flowed.h:
src/util.h:
src/banned.h:
