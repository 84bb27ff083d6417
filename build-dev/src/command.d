build-dev/src/command.o: src/command.c src/command.h src/util.h \
 src/term.h src/utf8.h src/banned.h
src/command.h:
src/util.h:
src/term.h:
src/utf8.h:
src/banned.h:
