build-dev/src/term.o: src/term.c src/term.h src/util.h src/utf8.h \
 src/banned.h
src/term.h:
src/util.h:
src/utf8.h:
src/banned.h:
