build-dev/src/markup.o: src/markup.c src/markup.h src/conf.h src/util.h \
 src/html.h src/utf8.h src/banned.h
src/markup.h:
src/conf.h:
src/util.h:
src/html.h:
src/utf8.h:
src/banned.h:
