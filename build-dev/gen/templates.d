build-dev/gen/templates.o: build-dev/gen/templates.c src/template.h \
 src/util.h
src/template.h:
src/util.h:
