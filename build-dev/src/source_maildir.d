build-dev/src/source_maildir.o: src/source_maildir.c src/log.h \
 src/message.h src/conf.h src/util.h src/source.h src/store.h \
 src/banned.h
src/log.h:
src/message.h:
src/conf.h:
src/util.h:
src/source.h:
src/store.h:
src/banned.h:
