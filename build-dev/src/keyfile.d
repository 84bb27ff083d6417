build-dev/src/keyfile.o: src/keyfile.c src/keyfile.h src/util.h \
 src/banned.h
src/keyfile.h:
src/util.h:
src/banned.h:
