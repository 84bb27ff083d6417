build-dev/src/render_json.o: src/render_json.c src/address.h src/conf.h \
 src/util.h src/json.h src/render_int.h src/fsroot.h src/markup.h \
 src/html.h src/render.h src/store.h src/template.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/json.h:
src/render_int.h:
src/fsroot.h:
src/markup.h:
src/html.h:
src/render.h:
src/store.h:
src/template.h:
src/banned.h:
