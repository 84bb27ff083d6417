build-dev/src/render_atom.o: src/render_atom.c src/html.h src/util.h \
 src/render_int.h src/conf.h src/fsroot.h src/markup.h src/render.h \
 src/store.h src/template.h src/banned.h
src/html.h:
src/util.h:
src/render_int.h:
src/conf.h:
src/fsroot.h:
src/markup.h:
src/render.h:
src/store.h:
src/template.h:
src/banned.h:
