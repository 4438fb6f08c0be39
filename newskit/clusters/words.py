"""What the clustering knows about Chinese news conventions, kept as data (both scripts)."""

from __future__ import annotations

import re

from newskit.core.text import words

# Credit lines a syndicating portal adds, swaps or drops (来源：X, 责任编辑：Y, 原标题：Z):
# they say who carried the story, not what it says, so fingerprints leave them out.
CREDIT_LABELS = words(
    """
    来源 來源 稿源 出处 出處 转自 轉自 转载自 轉載自 本文来源 本文來源 文章来源 文章來源
    信息来源 信息來源 责任编辑 責任編輯 责编 責編 编辑 編輯 审核 審核 校对 校對 监制 監製
    作者 记者 記者 通讯员 通訊員 摄影 攝影 图片来源 圖片來源 原标题 原標題 原題 原题
    """
)
CREDIT_LINE = re.compile(
    r"^[\s【\[（(]*(?:" + "|".join(sorted(CREDIT_LABELS, key=len, reverse=True)) + r")\s*[:：]"
)
# Longest line still taken for a credit line rather than a paragraph starting with a label.
CREDIT_LINE_CHARS = 40

# Endings that name the kind of outlet (新华社, 新华网, 人民日报, 人民网): an outlet's
# agency, paper and website share the stem before them.
OUTLET_SUFFIXES = tuple(
    sorted(
        words(
            """
            新闻网 新聞網 新闻社 新聞社 通讯社 通訊社 客户端 客戶端 官方网站 官方網站 官网 官網
            网站 網站 频道 頻道 日报 日報 晚报 晚報 早报 早報 时报 時報 商报 商報 周刊 週刊
            电视台 電視台 广播电视台 廣播電視台 报社 報社 网 網 社 报 報 台
            """
        ),
        key=len,
        reverse=True,
    )
)
