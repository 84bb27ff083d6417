build-dev/src/modmail.o: src/modmail.c src/address.h src/conf.h \
 src/util.h src/articles.h src/store.h src/modmail.h src/comment.h \
 src/compose.h src/outbox.h src/transport.h src/token.h src/notify_int.h \
 src/trust.h src/message.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/articles.h:
src/store.h:
src/modmail.h:
src/comment.h:
src/compose.h:
src/outbox.h:
src/transport.h:
src/token.h:
src/notify_int.h:
src/trust.h:
src/message.h:
src/banned.h:
