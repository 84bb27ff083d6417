build-dev/src/notify.o: src/notify.c src/address.h src/conf.h src/util.h \
 src/compose.h src/html.h src/markup.h src/modmail.h src/comment.h \
 src/store.h src/outbox.h src/transport.h src/token.h src/notify.h \
 src/articles.h src/notify_int.h src/reader.h src/ingest.h src/message.h \
 src/source.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/compose.h:
src/html.h:
src/markup.h:
src/modmail.h:
src/comment.h:
src/store.h:
src/outbox.h:
src/transport.h:
src/token.h:
src/notify.h:
src/articles.h:
src/notify_int.h:
src/reader.h:
src/ingest.h:
src/message.h:
src/source.h:
src/banned.h:
