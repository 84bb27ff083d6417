build-dev/src/throttle.o: src/throttle.c src/notify.h src/articles.h \
 src/conf.h src/util.h src/store.h src/comment.h src/throttle.h \
 src/banned.h
src/notify.h:
src/articles.h:
src/conf.h:
src/util.h:
src/store.h:
src/comment.h:
src/throttle.h:
src/banned.h:
