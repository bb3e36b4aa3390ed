#pragma once
// QCustomPlot's header is written with Qt's keyword macros (`signals`, `slots`, `foreach`),
// which this project switches off (QT_NO_KEYWORDS: torch uses the identifier `slots`).
// Include QCustomPlot only through this header, and never in a file that includes torch.
#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef foreach
#else
#include <qcustomplot.h>
#endif
