build-dev/src/follow.o: src/follow.c src/address.h src/conf.h src/util.h \
 src/compose.h src/follow.h src/articles.h src/store.h src/comment.h \
 src/ingest.h src/message.h src/source.h src/token.h src/log.h \
 src/markup.h src/html.h src/notify.h src/notify_int.h src/outbox.h \
 src/transport.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/compose.h:
src/follow.h:
src/articles.h:
src/store.h:
src/comment.h:
src/ingest.h:
src/message.h:
src/source.h:
src/token.h:
src/log.h:
src/markup.h:
src/html.h:
src/notify.h:
src/notify_int.h:
src/outbox.h:
src/transport.h:
src/banned.h:
