build-dev/src/render_html.o: src/render_html.c src/address.h src/conf.h \
 src/util.h src/html.h src/render_int.h src/fsroot.h src/markup.h \
 src/render.h src/store.h src/template.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/html.h:
src/render_int.h:
src/fsroot.h:
src/markup.h:
src/render.h:
src/store.h:
src/template.h:
src/banned.h:
