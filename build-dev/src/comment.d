build-dev/src/comment.o: src/comment.c src/address.h src/conf.h \
 src/util.h src/comment.h src/store.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/comment.h:
src/store.h:
src/banned.h:
