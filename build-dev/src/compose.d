build-dev/src/compose.o: src/compose.c src/compose.h src/util.h \
 src/utf8.h src/banned.h
src/compose.h:
src/util.h:
src/utf8.h:
src/banned.h:
