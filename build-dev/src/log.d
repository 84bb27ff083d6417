build-dev/src/log.o: src/log.c src/log.h src/term.h src/util.h \
 src/banned.h
src/log.h:
src/term.h:
src/util.h:
src/banned.h:
