build-dev/src/transport.o: src/transport.c src/transport.h src/conf.h \
 src/util.h src/banned.h
src/transport.h:
src/conf.h:
src/util.h:
src/banned.h:
