build-dev/src/moderate.o: src/moderate.c src/address.h src/conf.h \
 src/util.h src/articles.h src/store.h src/comment.h src/follow.h \
 src/ingest.h src/message.h src/source.h src/token.h src/moderate.h \
 src/command.h src/modmail.h src/compose.h src/outbox.h src/transport.h \
 src/notify.h src/reader.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/articles.h:
src/store.h:
src/comment.h:
src/follow.h:
src/ingest.h:
src/message.h:
src/source.h:
src/token.h:
src/moderate.h:
src/command.h:
src/modmail.h:
src/compose.h:
src/outbox.h:
src/transport.h:
src/notify.h:
src/reader.h:
src/banned.h:
