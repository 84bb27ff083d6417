build-dev/src/reader.o: src/reader.c src/address.h src/conf.h src/util.h \
 src/articles.h src/store.h src/command.h src/notify.h src/comment.h \
 src/notify_int.h src/compose.h src/outbox.h src/transport.h src/follow.h \
 src/ingest.h src/message.h src/source.h src/token.h src/reader.h \
 src/utf8.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/articles.h:
src/store.h:
src/command.h:
src/notify.h:
src/comment.h:
src/notify_int.h:
src/compose.h:
src/outbox.h:
src/transport.h:
src/follow.h:
src/ingest.h:
src/message.h:
src/source.h:
src/token.h:
src/reader.h:
src/utf8.h:
src/banned.h:
