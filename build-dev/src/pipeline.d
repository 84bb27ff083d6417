build-dev/src/pipeline.o: src/pipeline.c src/articles.h src/conf.h \
 src/util.h src/store.h src/ingest.h src/message.h src/source.h src/log.h \
 src/notify.h src/comment.h src/outbox.h src/transport.h src/pipeline.h \
 src/render.h src/throttle.h src/retention.h src/banned.h
src/articles.h:
src/conf.h:
src/util.h:
src/store.h:
src/ingest.h:
src/message.h:
src/source.h:
src/log.h:
src/notify.h:
src/comment.h:
src/outbox.h:
src/transport.h:
src/pipeline.h:
src/render.h:
src/throttle.h:
src/retention.h:
src/banned.h:
