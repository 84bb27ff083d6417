build-dev/src/ingest.o: src/ingest.c src/address.h src/conf.h src/util.h \
 src/articles.h src/store.h src/command.h src/comment.h src/console.h \
 src/ingest.h src/message.h src/source.h src/follow.h src/token.h \
 src/html.h src/log.h src/moderate.h src/notify.h src/notify_int.h \
 src/compose.h src/outbox.h src/transport.h src/reader.h src/throttle.h \
 src/trust.h src/utf8.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/articles.h:
src/store.h:
src/command.h:
src/comment.h:
src/console.h:
src/ingest.h:
src/message.h:
src/source.h:
src/follow.h:
src/token.h:
src/html.h:
src/log.h:
src/moderate.h:
src/notify.h:
src/notify_int.h:
src/compose.h:
src/outbox.h:
src/transport.h:
src/reader.h:
src/throttle.h:
src/trust.h:
src/utf8.h:
src/banned.h:
