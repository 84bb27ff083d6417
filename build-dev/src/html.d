build-dev/src/html.o: src/html.c src/html.h src/util.h src/utf8.h \
 src/banned.h
src/html.h:
src/util.h:
src/utf8.h:
src/banned.h:
