build-dev/src/transport_maildir.o: src/transport_maildir.c \
 src/transport.h src/conf.h src/util.h src/banned.h
src/transport.h:
src/conf.h:
src/util.h:
src/banned.h:
