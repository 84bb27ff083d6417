build-dev/src/console.o: src/console.c src/address.h src/conf.h \
 src/util.h src/command.h src/comment.h src/store.h src/console.h \
 src/articles.h src/ingest.h src/message.h src/source.h src/log.h \
 src/notify.h src/notify_int.h src/compose.h src/outbox.h src/transport.h \
 src/token.h src/trust.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/command.h:
src/comment.h:
src/store.h:
src/console.h:
src/articles.h:
src/ingest.h:
src/message.h:
src/source.h:
src/log.h:
src/notify.h:
src/notify_int.h:
src/compose.h:
src/outbox.h:
src/transport.h:
src/token.h:
src/trust.h:
src/banned.h:
