build-dev/src/trust.o: src/trust.c src/address.h src/conf.h src/util.h \
 src/trust.h src/message.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/trust.h:
src/message.h:
src/banned.h:
