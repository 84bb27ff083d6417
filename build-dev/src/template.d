build-dev/src/template.o: src/template.c src/html.h src/util.h \
 src/template.h src/banned.h
src/html.h:
src/util.h:
src/template.h:
src/banned.h:
