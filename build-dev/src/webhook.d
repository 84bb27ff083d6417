build-dev/src/webhook.o: src/webhook.c src/webhook.h src/util.h \
 src/banned.h
src/webhook.h:
src/util.h:
src/banned.h:
