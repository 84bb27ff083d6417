/* banned.h: functions that are too easy to misuse, made compile errors.
 * Included last by every .c file of the project (after system headers). */
#ifndef MC_BANNED_H
#define MC_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_use_snprintf_or_buf

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif
