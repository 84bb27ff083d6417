build-dev/tests/clock-test.o: src/clock.c src/util.h src/banned.h
src/util.h:
src/banned.h:
