build-dev/src/render.o: src/render.c src/address.h src/conf.h src/util.h \
 src/articles.h src/store.h src/fsroot.h src/html.h src/inject.h \
 src/json.h src/log.h src/markup.h src/render.h src/render_int.h \
 src/template.h src/utf8.h src/webhook.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/articles.h:
src/store.h:
src/fsroot.h:
src/html.h:
src/inject.h:
src/json.h:
src/log.h:
src/markup.h:
src/render.h:
src/render_int.h:
src/template.h:
src/utf8.h:
src/webhook.h:
src/banned.h:
