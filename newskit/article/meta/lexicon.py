"""Word lists the metadata rules read, kept as data: Simplified and Traditional side by side.

Each list names the convention it follows; none quotes a page. Lists are space-separated
strings turned into frozensets, one concern per name.
"""

from __future__ import annotations

from newskit.core.text import words


def phrases(text: str) -> tuple[str, ...]:
    """Words written as one space-separated string, in their order (for patterns)."""
    return tuple(text.split())


# --- people ---------------------------------------------------------------------------------

# Roles that credit the writer of a story (bylines: 记者 X, 作者：X, 文/X).
AUTHOR_ROLES = words(
    "记者 記者 通讯员 通訊員 作者 撰文 撰稿 执笔 執筆 实习生 實習生 特约记者 特約記者"
)
# Roles that credit an editor; an editor is never an author.
EDITOR_ROLES = words("责任编辑 責任編輯 责编 責編 编辑 編輯 值班编辑 值班編輯 主编 主編")
# Other production credits: neither author nor editor (校对 = proof-reader, 审核 = reviewer).
OTHER_ROLES = words(
    "校对 校對 审核 審核 审校 審校 监制 監製 统筹 統籌 策划 策劃 设计 設計 美编 美編 出品 "
    "选稿 選稿 制图 製圖 制作 製作 翻译 翻譯 编译 編譯 主持 主持人 来源 來源 "
    "作曲 作词 作詞 编曲 編曲 演唱 导演 導演 主演 制片 製片 配音 口述 讲述 講述 出品人"
)
# Photo and video credits: "张三 摄", "摄影 张三", "圖／X".
PHOTO_WORDS = words("摄 攝 摄影 攝影 图 圖 供图 供圖 制图 製圖 视频 視頻 影音 翻摄 翻攝")

# Words that are never a person although they fit the shape of a name: placeholders,
# account and site words, section and column words, kickers, widget and boilerplate words.
PLACEHOLDERS = words(
    "未知 佚名 匿名 不详 不詳 无 無 暂无 暫無 管理员 管理員 admin administrator 网友 網友 "
    "游客 遊客 访客 訪客 匿名用户 匿名用戶 本站 本网 本網 小编 小編 编者 編者 news editor "
    "guest user anonymous unknown"
)
SECTION_WORDS = words(
    "新闻 新聞 资讯 資訊 要闻 要聞 头条 頭條 热点 熱點 快讯 快訊 专题 專題 专栏 專欄 评论 評論 "
    "时评 時評 观察 觀察 城市观察 城市觀察 手记 手記 札记 札記 随笔 隨筆 杂谈 雜談 视点 視點 "
    "资料图 資料圖 图文无关 圖文無關 图片 圖片 视频 視頻 直播 图集 圖集 正文 全文 摘要 导读 導讀 "
    "简介 簡介 声明 聲明 提示 公告 通知 社会 社會 国际 國際 国内 國內 财经 財經 体育 體育 娱乐 娛樂 "
    "科技 教育 健康 旅游 旅遊 汽车 汽車 房产 房產 文化 军事 軍事 地方 本地 首页 首頁 频道 頻道 "
    "博客 论坛 論壇 社区 社區 原创 原創 独家 獨家 特稿 综合 綜合 整理 转载 轉載 推荐 推薦"
)
BOILERPLATE = words(
    "发布 發布 发表 發表 来源 來源 时间 時間 日期 编辑 編輯 记者 記者 通讯员 通訊員 报道 報導 "
    "摄影 攝影 日电 日電 获悉 獲悉 了解 注意 表示 介绍 介紹 采访 採訪 调查 調查 发现 發現 看到 "
    "近日 日前 昨日 今日 今天 昨天 从中 從中 联系 聯繫 现场 現場 走访 走訪 探访 探訪 本报 本報 "
    "作者 责任 責任 更多 查看 相关 相關 阅读 閱讀 分享 我们 我們 他们 他們 暗访 暗訪 特约 特約 "
    "见习 見習 首席 完 待续 待續 无内容 無內容 评论员 評論員 特约评论员 特約評論員 关注 關注 "
    "粉丝 粉絲 主页 主頁 登录 登錄 注册 註冊 收藏 打印 列印 关闭 關閉 字号 字號 返回 顶部 頂部 "
    "回复 回覆 回帖 引用 举报 舉報 点赞 點讚 楼主 樓主 版主 沙发 沙發 留言 订阅 訂閱 下载 下載 "
    "登入 会员 會員 隐私 隱私 版权 版權 授权 授權 同意 免责 免責 出处 出處 注明 转发 轉發"
)
# Parts that never occur inside a person's name: outlet and organisation endings,
# boilerplate phrases (作者单位, 作者个人观点, 同意…条款).
NOT_NAME_PARTS = phrases(
    "转载 轉載 注明 單位 单位 观点 觀點 简介 簡介 最新 文章 信息 資訊 出处 出處 更多 相关 相關 推荐 推薦 投稿 报道 報導 版权 版權 声明 "
    "聲明 条款 條款 同意 隐私 隱私 发布 發布 发表 發表 新闻 新聞 日报 日報 晚报 晚報 时报 時報 周刊 週刊 杂志 雜誌 电视 電視 广播 廣播 "
    "频道 頻道 公司 集团 集團 中心 协会 協會 委员会 委員會 研究院 研究所 大学 大學 学院 學院 政府 客户端 客戶端 公众号 公眾號 微信 微博 头条 "
    "頭條 网站 網站 官网 官網 进入 進入 点击 點擊 论坛 論壇 博客 评论 評論 留言 回复 回覆 登录 登錄 注册 註冊 下载 下載 订阅 訂閱 关注 "
    "關注 分享 收藏 打印 返回 首页 首頁 栏目 欄目"
)
# One-character endings of outlets (江南网, 湖畔社, 电视台, 周刊).
OUTLET_ENDINGS = tuple("社网網报報台刊")

# Words a Latin byline adds around the name ("By", "Analysis by", job titles, outlets).
LATIN_BYLINE_PREFIXES = (
    "analysis by",
    "opinion by",
    "review by",
    "commentary by",
    "interview by",
    "story by",
    "reporting by",
    "written by",
    "posted by",
    "by",
)
LATIN_NOT_NAMES = words(
    "staff reporter correspondent editor writer contributor columnist news press media "
    "agency wire service associated reuters afp ap bloomberg staff admin administrator "
    "team desk com net org www http https email mail share comments comment follow "
    "updated published read more minutes min ago by analysis opinion username user login"
)

# --- sources ------------------------------------------------------------------------------

# Labels that name the outlet a story comes from (来源：X).
SOURCE_LABELS = ("来源", "來源", "稿源", "出处", "出處", "来自", "來自", "出自")
# Words that, just before 来源, make it the source of something else: a picture, data,
# a video (图片来源, 数据来源, 资料来源 credit a part of the story, not the story).
NOT_SOURCE_PREFIXES = ("图片", "圖片", "图", "圖", "数据", "數據", "资料", "資料", "视频", "視頻")
# Labels that name no outlet (转载 = reprinted, 互联网 = the internet, 本站 = this site).
GENERIC_SOURCES = words(
    "转载 轉載 互联网 互聯網 网络 網絡 本站 本网 本網 原创 原創 网友投稿 網友投稿 未知 综合 綜合 "
    "网络转载 網絡轉載 转载文章 轉載文章 网友 網友 佚名 不详 不詳 匿名 其他 其它"
)
# Words inside an outlet's name (湖畔财经, 江南電台, 湖州商报) when no label names it.
OUTLET_WORDS = phrases(
    "新闻 新聞 日报 日報 晚报 晚報 时报 時報 早报 早報 电台 電台 电视 電視 财经 財經 周刊 週刊 杂志 雜誌 传媒 傳媒 媒体 媒體 通讯社 通訊社 "
    "广播 廣播"
)
# Endings of a site's own sections (新闻中心, 财经频道, 图片专题): never an outlet.
SECTION_ENDINGS = phrases("中心 频道 頻道 栏目 欄目 专题 專題 首页 首頁 专栏 專欄 版块 版塊")

# --- dates --------------------------------------------------------------------------------

# Labels that announce the page's own publish time.
PUBLISH_LABELS = phrases(
    "发布时间 發布時間 发表时间 發表時間 发布日期 發布日期 发稿时间 發稿時間 出版时间 出版時間 "
    "发表于 發表於 发布于 發佈於 发布 發布 时间 時間 日期 來源 来源 刊登"
)
# Labels of times that are not the publish time: events, deadlines, sign-ups, births.
OTHER_TIME_LABELS = phrases(
    "活动时间 活動時間 活动日期 活動日期 截止 报名 報名 举办 舉辦 举行 舉行 开幕 開幕 闭幕 閉幕 "
    "有效期 会议时间 會議時間 开始时间 開始時間 结束时间 結束時間 比赛时间 比賽時間 考试 考試 "
    "开奖 開獎 营业时间 營業時間 出生 生于 生於 注册时间 註冊時間 加入时间 加入時間 "
    "最后登录 最後登錄 上映 首播 开盘 開盤 交房 展期 演出时间 演出時間"
)
# Labels of a later revision: the publish time wins over them when the page shows both.
UPDATE_LABELS = phrases("更新 修改 最后修改 最後修改 最新更新 updated update modified")

# --- text cleaning ------------------------------------------------------------------------

# Widget and credit words portals print around the body (字号, 打印, 返回顶部). A line
# is a widget only when the word stands alone or before a separator: 打印机… and
# 编辑部… are prose.
WIDGET_WORDS = phrases(
    "字号 字號 字體 字体 打印 列印 责任编辑 責任編輯 责编 責編 编辑 編輯 关闭 關閉 纠错 糾錯 "
    "收藏 浏览次数 瀏覽次數"
)
# Widget phrases that are never the start of a sentence of the story (分享到…, 返回顶部).
WIDGET_PHRASES = phrases(
    "分享到 分享至 分享给 分享給 分享让 分享讓 一键分享 一鍵分享 扫一扫 掃一掃 关闭窗口 關閉視窗 "
    "返回顶部 返回頂部 返回首页 返回首頁 返回上一页 返回列表 收藏本文 推荐给朋友 我要纠错 我要糾錯"
)
# Labelled metadata lines that repeat the header inside the body (来源：…, 发布时间：…).
BODY_LABELS = phrases(
    "来源 來源 信息来源 文章来源 稿件来源 稿源 发布时间 發布時間 发布日期 發布日期 点击 點擊 阅读 閱讀"
)

# --- headlines ----------------------------------------------------------------------------

# Kickers portals and forums put in front of a headline, in brackets or before a bar:
# 【原创】, [转载], 独家｜. They are labels, not part of the headline.
KICKERS = phrases(
    "原创 原創 转载 轉載 独家 獨家 视频 視頻 图文 圖文 组图 組圖 快讯 快訊 推荐 推薦 置顶 置頂 "
    "精华 精華 热门 熱門 热 熱 新 荐 薦 图 圖 专题 專題 直播 评论 評論 深度 特稿 首发 首發"
)
# Endings of blog and forum sidebar headings (…统计, …排行, 最新评论): never a headline.
SIDEBAR_ENDINGS = phrases(
    "统计 統計 排行 排行榜 列表 公告 导航 導航 分类 分類 链接 鏈接 連結 存档 存檔 归档 歸檔 "
    "评论 評論 留言 日历 日曆 标签 標籤 搜索 搜尋 登录 登錄 登入 友情链接 友情鏈接 最新文章 "
    "热门文章 熱門文章 相关文章 相關文章 个人资料 個人資料 博客 部落格"
)
