build-dev/src/json.o: src/json.c src/json.h src/util.h src/term.h \
 src/utf8.h src/banned.h
src/json.h:
src/util.h:
src/term.h:
src/utf8.h:
src/banned.h:
