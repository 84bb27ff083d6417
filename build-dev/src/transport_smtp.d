build-dev/src/transport_smtp.o: src/transport_smtp.c src/transport.h \
 src/conf.h src/util.h src/banned.h
src/transport.h:
src/conf.h:
src/util.h:
src/banned.h:
