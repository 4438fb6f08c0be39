"""Chinese script conversion (OpenCC) of text and of records, and cheap script detection."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from newskit.core.errors import UsageError
from newskit.core.text import CJK, SAMPLE_CHARS, chinese_sample

Record = dict[str, Any]

# OpenCC's own configurations, applied as asked, whatever the input's script.
CONFIGS: dict[str, str] = {
    "s2t": "zh-Hant",
    "t2s": "zh-Hans",
    "s2tw": "zh-Hant-TW",
    "tw2s": "zh-Hans",
    "s2twp": "zh-Hant-TW",
    "tw2sp": "zh-Hans",
    "s2hk": "zh-Hant-HK",
    "hk2s": "zh-Hans",
    "t2tw": "zh-Hant-TW",
    "t2hk": "zh-Hant-HK",
    "tw2t": "zh-Hant",
    "hk2t": "zh-Hant",
    "t2jp": "ja-Jpan",
    "jp2t": "zh-Hant",
}

# Friendly targets: the configurations to chain, by the input's detected script.
# Traditional input of unknown region goes through tw2sp, a superset of t2s that also
# turns Taiwan phrasing (軟體, 記憶體) back into mainland words; HK text uses hk2s.
TARGETS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "zh-Hans": ("zh-Hans", {"zh-Hans": ("t2s",), "zh-Hant": ("tw2sp",), "hk": ("hk2s",)}),
    "zh-CN": ("zh-Hans-CN", {"zh-Hans": ("t2s",), "zh-Hant": ("tw2sp",), "hk": ("hk2s",)}),
    "zh-Hant": ("zh-Hant", {"zh-Hans": ("s2t",), "zh-Hant": ()}),
    "zh-TW": ("zh-Hant-TW", {"zh-Hans": ("s2twp",), "zh-Hant": ("hk2t", "t2tw")}),
    "zh-HK": ("zh-Hant-HK", {"zh-Hans": ("s2hk",), "zh-Hant": ("tw2t", "t2hk")}),
}

# The record fields converted by default; URLs and everything else are left alone.
DEFAULT_FIELDS: tuple[str, ...] = (
    "title",
    "text",
    "description",
    "summary",
    "teaser",
    "authors",
    "source",
    "categories",
    "tags",
    "blurb",
    "figures",
)
# Of an object in a converted list (a figure), the keys holding text; the rest is data.
_TEXT_KEYS = ("caption", "alt")

# Hong Kong writing: Cantonese particles and HK variant forms; their absence means TW/generic.
_HONG_KONG = frozenset("嘅咗喺冇嗰啲嘢佢哋唔睇畀綫衞")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S*$")

# Common characters of one script only (see test_script_characters_come_from_the_charsets):
# GB2312 level 1 minus all of Big5 (simplified forms, without 着, which is also a
# standard and Hong Kong Traditional form), and Big5 level 1 minus all of GB2312.
_SIMPLIFIED_ONLY = frozenset(
    "专业丛东丝丢两严丧个临为丽举义乌乐乔习乡书买乱争亏亚产亩亲亿仅从仑仓仪们众会伞伟传伤伦伪"
    "侠侣侥侦侧侨侩俩俭债倾偿傈储兑兰关兴兹养兽内冈册写军农冯冲决况冻净凉减凑凛凤凭凯击凿刘则"
    "刚创删别刹刽剂剐剑剥剧劝办务动励劲劳势勋匀区医华协单卖卢卤卧卫却厅历厉压厌厕厢厦厨厩县叁"
    "参双发变叙叠叶号叹吓吕吗启吴呐呕员呛呜咏咙响哑哗哟唤啮啸喷嘘嘱嚣团园囱围国图圆场块坚坛坝"
    "坞坟坠垄垒垦垫堑堕墒墙壮声壳壶处备够头夹夺奋奖奥妆妇妈娄娇娱婴婶孙学孪宝实宠审宪宫宽宾寝"
    "对寻导寿将尔尘尝尧尽层屉届属屡屿岁岂岗岛岿峡峦崭巩币帅师帐帜带帧帮幂广庆庐库应庙庞废开弃"
    "张弥弯弹强归当录彦彻径忆忧态怂总恋恒恳恶恼悦悬悯惧惨惩惫惭惮惯愤慑懒戏战户执扩扫扬抚抛抠"
    "抡抢护报担拟拢拣拥拦拧拨择挚挛挝挞挟挠挡挣挤挥捞损捡换捣掳掷掸掺揽搀搁搂搅携摄摆摇摈摊撑"
    "撵擞攒敌敛数斋斩断无旧时旷昼显晋晓晕暂术杀杂权条来杨枢枣枪枫柠栅标栈栋栏树样档桥桨桩梦检"
    "椭楼槛横樱橱欢欧歼残殴毁毕毙毡氢汇汉汤汹沟没沤沥沦沧沪泪泻泼泽浅浆浇浊测济浑浓涛涝涟涡涣"
    "涤润涧涨涩渊渍渐渔渗温湾湿溃溅滚滞满滤滥滦滨滩潍潜澜濒灭灯灵灾灿炉点炼炽烁烂烃烛烟烦烧烩"
    "烫烬热焕爱爷牵牺犊状犹狈狞独狭狮狰狱猎猪猫献獭玛环现珐琐琼瑶电画畅畴疗疟疡疮疯痈痉痪瘪瘫"
    "癣皑皱盏盐监盖盗盘睁瞒瞩矫矾矿码砖砚砾础硕硷碍碱礼祷祸禄秃秆积称秽税稳穷窃窍窑窜窝窥竖竞"
    "笋笔笺笼筛筹签简箩篓篮类粤粪粮紧纠红纤约级纪纫纬纯纱纲纳纵纶纷纸纹纺纽线练组绅细织终绊绍"
    "绎经绑绒结绕绘给绚络绝绞统绢绣绥绦继绩绪续绰绳维绵绷绸综绽绿缀缄缅缆缉缎缓缔缕编缘缚缝缠"
    "缨缩缮缴罗罚罢翘耸耻聂聋职联聪肃肠肤肾肿胀胁胆胶脉脏脐脑脓脚脱脸腻腾舆舰舱艰艳艺节芜芦苇"
    "苍苏茎荆荚荡荣荤荧荫药莱莲获莹萝萤营萧萨葱蒋蓝蓟蔷蔼蕴虏虑虚虽虾蚀蚁蚂蛊蛮蛰蜕蜗蝇蝉衅衔"
    "补衬袄袜袭装裤见观规觅视览觉誉誊计订讣认讥讨让讫训议讯记讲讳讶许讹论讼讽设访诀证评诅识诈"
    "诉诊诌词译试诗诚诛话诞诡询诣该详诧诫诬语误诱诲说诵请诸诺读诽课谁调谅谆谈谊谋谍谎谐谓谗谚"
    "谜谢谣谤谦谨谩谬谭谰谱谴贝贞负贡财责贤败账货质贩贪贫贬购贮贯贰贱贴贵贷贸费贺贼贾贿赁赂赃"
    "资赊赋赌赎赏赐赔赖赘赚赛赞赠赡赢赣赵趋跃践踌踪蹿躯车轧轨轩转轮软轰轴轻载轿较辅辆辈辉辊辐"
    "辑输辕辖辗辙辞辩辫边辽达迁过迈运还这进远违连迟迹选逊递逻遗遥邓邮邹邻郑郧郸酝酞酱酶酿释鉴"
    "针钉钎钒钓钙钝钞钟钠钡钢钥钦钧钨钩钮钱钳钵钻钾铀铁铂铃铅铆铜铝铡铣铬铭铰铱铲银铸铺链销锁"
    "锄锅锈锋锌锐锑锗错锚锡锣锤锥锦锨锭键锯锰锹锻镀镁镇镊镍镐镑镜镣镭镰镶长门闪闭问闯闰闲间闷"
    "闸闹闺闻闽阀阁阂阅阉阎阐阑阔队阳阴阵阶际陆陇陈陕陨险随隐隶难雏雾静韦韧韩韵页顶顷项顺须顽"
    "顾顿颁颂预颅领颇颈颊颐频颓颖颗题颜额颠颤颧风飘飞饥饭饮饯饰饱饲饵饶饺饼饿馁馅馆馈馋馏馒马"
    "驭驮驯驰驱驳驴驶驹驻驼驾骂骄骆骇骋验骏骑骗骚骡骤鱼鲁鲍鲜鲤鲸鳃鳖鳞鸟鸡鸣鸥鸦鸭鸯鸳鸵鸽鸿"
    "鹃鹅鹊鹏鹤鹰麦黄齐齿龄龋龙龚龟"
)
_TRADITIONAL_ONLY = frozenset(
    "丟並亂亙亞伋伕佇佈佔併佺來侖侶侷係俠倀倆倉個們倖倣倫偉偭偯側偵偺偽傑傖傘備傚傢傭傯傳債傷"
    "傾僅僇僎僑僕僥僩僱價儀儂億儅儈儉儐儔儕儘償優儲儳儷儸儻儼兇兌兒兗內兩冊冑冪凍凜凱別刪則剋"
    "剎剛剝剴創剷劃劇劉劊劍劑劻勁動勗務勛勝勞勢勣勦勳勵勸勻匯匱區協卹卻厭厲參叢吋吳吶呂呎員唸"
    "問啗啞啟啣喚喪喫喬單喲嗆嗇嗎嗚嗶嘆嘍嘐嘔嘖嘗嘩嘮嘯嘰噓噥噯噴噸噹嚀嚇嚐嚕嚥嚨嚮嚴嚶囀囁囂"
    "囈囉囌囑囪國圍園圓圖團執堅堉堊堝堯報場塊塋塒塗塚塢塭塵塹塽墊墜墦墮墳墾壇壎壓壘壙壞壟壢壩"
    "壯壺壽夠夢夾奐奧奩奪奭奮妝妳姅姍姦姪娛婁婦媧媼媽嫗嫵嫻嬈嬋嬌嬝嬤嬪嬰嬸孃孫學孿宮寢實寧審"
    "寫寬寵寶將專尋對導尷屆屍屘屜屝屢層屨屬岡峴島峽崁崑崗崙崢嵐嶄嶇嶔嶸嶺嶼嶽巉巒巔巖帟帥師帳"
    "帶幀幃幗幟幣幫幹幾庫廁廂廄廈廚廝廟廠廢廣廬廳弒弔張強彆彈彊彌彎彙彥彫彿徑從徠復徬徹恆恥悅"
    "悵悶悽惇惡惱惻愒愛愜愴愷愾慄慇態慍慘慚慟慣慫慮慶慼慾憂憊憐憑憚憤憫憮憲憶懇應懍懣懲懶懷懸"
    "懺懼懾戀戰戲戶抆拋挾捨捫捲掃掄掙掛採揀揚換揮揹搆損搖搗搶搾摑摟摯摻撈撐撓撚撢撥撫撲撳撻撾"
    "撿擁擄擇擊擋擔據擠擬擭擰擱擲擴擷擺擻擾攆攏攔攙攜攝攣攤攪攬敔敗敘敵數斂斃斕斬斷昇昤時晅晉"
    "晝晞暈暉暍暘暢暫暱暸曄曆曇曉曖曠曬書會朧朮杗東枓枴柵栘桿梂梔條梟梡梱棄棗棟棧棲棻楊楓楛楨"
    "業極榣榦榮槃構槍槓槨槳樁樂樅樑樓標樞樣樸樹樺橈橋機橢橫橾檔檜檢檣檮檯檳檸檻櫂櫃櫓櫚櫛櫝櫥"
    "櫬櫺櫻欄權欐欖欽歎歐歜歟歡歲歷歸歿殘殤殮殯殲殺殼毀毆毚毬氈氣氫氬氳氾汍汎汙決沍沒沖沘沬況"
    "泜洩洶洸浥浬浹涇涊涼淒淚淨淪淵淺渙減渦測渾湊湣湧湩湯湲準溝溫溼滄滅滌滬滯滲滷滾滿漁漢漣漬"
    "漲漸漿潑潔潛潟潠潤潯潰澀澆澗澠澤澦澱澴濁濃濕濘濛濟濤濩濫濬濰濱濺濾瀆瀉瀋瀏瀕瀘瀝瀟瀨瀰瀲"
    "瀾灑灘灣灤災炤為烏焜無煆煉煖煙煥煩煬熒熱熾燄燈燉燐燒燙燜營燦燬燭燴燸燻燼燾爍爐爛爭爺爾牆"
    "牘牠牴牽犖犛犢犧狀狹狽猙猶獄獅獎獨獰獲獵獷獸獺獻玀玆玥玨珪珮現琍琯琺琿瑣瑤瑩瑪瑯璘璟璣璦"
    "環璽璿瓊瓏瓔瓖瓚甌甕產甦甽畝畢畫異當疇疊疢痙痠痲痳痺瘉瘋瘍瘓瘡瘧瘺療癆癒癘癟癡癢癥癩癬癮"
    "癱癲發皚皰皺盃盜盞盡監盤盧盪眾睏睜睞睪瞇瞋瞞瞭瞼矇矓矚矯砠砲硃硯硿碩確碼磚磧磯礎礙礦礪礫"
    "礬祇祐祕祿禍禎禦禪禮禱禿秈稅稈稜稟種稱穀穋穌積穎穠穡穢穩穫窩窪窮窯窺竄竅竇竊競筆筍筧箄箇"
    "箋箏箠節範築篛篠篤篩簍簑簞簡簣簫簷簽簾籃籌籐籟籠籣籤籥籬籮籲粵糝糞糢糧糰糾紀紂約紅紆紇紉"
    "紋納紐純紕紗紙級紛紜紡紮細紱紲紳紹紼絀終絃組絆結絕絛絞絡絢給絨絰統絲絳絹綁綏綑經綜綞綠綢"
    "綬維綰綱網綴綵綸綺綻綽綾綿緇緊緒緘緙線緝緞締緣編緩緬緯緲練緹緻縈縉縊縐縑縛縝縞縣縫縮縯縱"
    "縲縴縵縷縹總績縿繃繅繆繈繒織繕繙繚繞繡繩繪繫繭繳繹繼繽續纏纓纔纖纜缽罈罌罰罵罷羅羈羋羨義"
    "羶習翹耑聖聞聯聰聲聳聶職聽聾肅脅脈脣脤脩脫脰脹腎腦腫腳腸膚膠膩膽膾膿臉臍臏臘臚臟臢臥臨臺"
    "與興舉舊艙艦艱艷芣芻苧茲荊莊莖莢莧華菴萇萊萬萵葉葦葷蒐蒞蒼蓀蓆蓋蓮蔆蔔蔣蔥蔭蕩蕪蕭薊薑薔"
    "薦薩薺藍藝藥藪藷藹藺蘆蘇蘊蘋蘗蘚蘭蘿處虛虜號虧蛻蜆蝕蝦蝨蝸螞螢螻蟈蟬蟯蟲蟻蠅蠍蠔蠟蠣蠱蠶"
    "蠻術衛衝衹袞裊補裝裡裯製複褕褲褸褻褽襖襠襤襪襬襯襲見規覓視覜覦親覬覲覺覽觀觔觴觸觼訂訃計"
    "訊訌討訏訐訑訓訕訖託記訛訝訟訢訣訥訪設許訴訶診註証詁詆詐詔評詖詛詞詠詢詣試詨詩詫詬詭詮詰"
    "話該詳詻詼誅誇誌認誑誕誘誚語誠誡誣誤誥誦誧誨說誰課誶誹誼調諂諄談諉請諍諒論諛諜諦諧諫諭諮"
    "諱諳諶諷諸諺諼諾謀謁謂謄謊謎謐謗謙講謝謠謨謫謬謹譁譆證譎譏識譙譚譜譟譫譯議譴護譽讀變讒讓"
    "讖讚讜谿豈豎豐豔豬豭貍貓貝貞負財貢貧貨販貪貫責貯貲貳貴貶買貸費貼貽貿賀賁賂賃賄賅資賈賊賑"
    "賒賓賜賞賠賡賢賣賤賦質賬賭賴賸賺賻購賽贅贈贊贍贏贓贖贗贛趕趙趨跡跦跼踐踡踫踴蹕蹟蹣蹤蹺躂"
    "躉躊躋躍躑躓躡躪軀車軋軌軍軏軒軔軛軟軸軻軼軾較載輊輒輓輔輕輛輜輝輞輟輥輦輩輪輯輳輸輻輾輿"
    "轂轄轅轉轍轎轔轟轡辦辭辮辯農迆迴迺逕這連週進遊運過達違遙遜遝遞遠適遲遷選遺遼邁還邇邊邏邐"
    "郃郵鄉鄒鄗鄘鄧鄭鄰鄴酈醃醜醞醫醬醱釀釁釅釆釋釐釗釘釙針釣釦釧釩釭釵鈇鈉鈍鈐鈑鈔鈕鈞鈣鈴鈷"
    "鈸鈹鈽鈾鈿鉀鉅鉉鉋鉍鉑鉗鉚鉛鉤鉸鉻鉼銀銅銑銓銖銘銜銨銬銲銳銷銻銼鋁鋅鋇鋒鋤鋪鋰鋸鋼錄錐錕"
    "錘錙錚錠錡錢錦錨錫錮錯錳錶鍊鍋鍍鍔鍚鍛鍥鍬鍰鍵鍾鎂鎊鎔鎖鎗鎘鎚鎢鎬鎮鎰鎳鏃鏈鏍鏑鏗鏘鏜鏝"
    "鏟鏡鏢鏤鏨鏽鐃鐘鐫鐮鐲鐳鐵鐸鐺鑄鑑鑒鑠鑣鑤鑪鑰鑲鑷鑼鑽鑾鑿長門閂閃閉開閎閏閑閒間閔閘閡閣"
    "閤閥閨閩閭閱閻闆闈闊闋闌闐闔闕闖關闡闢阬陘陝陞陣陰陳陸陽隄隊階隕際隨險隱隴隸隻雊雋雖雙雛"
    "雜雞離難雲電霑霤霧霽靂靄靈靜靦靨鞏鞦韁韃韆韉韋韌韓韜韹韻響頁頂頃項順須頊頌預頑頒頓頗領頜"
    "頡頤頫頭頰頷頸頹頻顆題額顎顏顓願顛類顥顧顫顯顰顱風颯颱颳颶颺颼飄飛飢飩飪飭飯飲飴飼飽飾餃"
    "餅餉養餌餒餓餘餚餛餞餡館餵餽餾餿饅饉饑饒饗饜饞馬馭馮馱馳馴駁駐駑駒駕駙駛駝駟駢駭駱駿騁騎"
    "騖騙騫騰騵騷騾驀驃驅驍驕驗驚驛驟驢驥驪骯髏髒體髖髮鬆鬍鬚鬢鬥鬧鬨鬱魎魘魚魯魷鮑鮪鮫鮭鮮鯀"
    "鯈鯉鯊鯖鯛鯧鯨鯽鰍鰓鰥鰭鰱鰻鰾鱉鱔鱖鱗鱟鱷鱸鳥鳩鳳鳴鳶鴃鴆鴉鴒鴕鴛鴣鴦鴨鴻鴿鵑鵝鵠鵡鵪鵬"
    "鵲鶉鶯鶴鶸鷂鷓鷗鷥鷹鷺鸚鸛鸞鹵鹹鹼鹽麗麥麩麵麼黃黌點黨黴黷鼇鼕鼴齊齋齒齜齟齡齣齦齧齪齬齲"
    "齷龍龐龔龜"
)


def detect_script(text: str) -> str | None:
    """'zh-Hans', 'zh-Hant', or None when the text is not Chinese (no OpenCC call).

    Counts, over a few thousand characters from the first Han one, common characters that
    exist in one script only; ties (only shared characters) count as Simplified.
    """
    sample = chinese_sample(text)
    if sample is None:
        return None
    simplified = sum(map(_SIMPLIFIED_ONLY.__contains__, sample))
    traditional = sum(map(_TRADITIONAL_ONLY.__contains__, sample))
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def _is_hong_kong(text: str) -> bool:
    """Traditional text written the Hong Kong way (two or more telltale characters)."""
    first = CJK.search(text)
    sample = text[first.start() : first.start() + SAMPLE_CHARS] if first else ""
    return sum(map(_HONG_KONG.__contains__, sample)) >= 2


def targets() -> list[str]:
    """Every name `to=` accepts: the friendly targets, then OpenCC's configurations."""
    return [*TARGETS, *CONFIGS]


def check_target(to: str) -> str:
    """Return `to` when it names a target or an OpenCC configuration, else raise UsageError."""
    if to in TARGETS or to in CONFIGS:
        return to
    raise UsageError(f"unknown conversion {to!r} (valid: {', '.join(targets())})")


@functools.cache
def _opencc(config: str) -> Any:
    """One OpenCC converter per configuration: building one loads its dictionaries."""
    import opencc

    return opencc.OpenCC(config)


@dataclass(frozen=True)
class Conversion:
    """A resolved conversion: OpenCC configurations applied in order, and the script made."""

    configs: tuple[str, ...]
    script: str
    detected: str | None = None

    def __call__(self, text: str) -> str:
        """Convert one string (ASCII letters, digits and punctuation pass untouched)."""
        for config in self.configs:
            text = _opencc(config).convert(text)
        return text

    def warm(self) -> Conversion:
        """Load the dictionaries now (so a stream does not pause on its first chunk)."""
        for config in self.configs:
            _opencc(config)
        return self


def conversion(to: str, sample: str | None = None) -> Conversion:
    """The conversion to `to` for text like `sample` (friendly targets detect its script).

    A friendly target with a non-Chinese (or no) sample converts nothing.
    """
    check_target(to)
    detected = detect_script(sample) if sample else None
    if to in CONFIGS:
        return Conversion((to,), CONFIGS[to], detected)
    script, plans = TARGETS[to]
    if detected is None:
        return Conversion((), script)
    plan = plans[detected]
    if detected == "zh-Hant" and "hk" in plans and _is_hong_kong(sample or ""):
        plan = plans["hk"]
    return Conversion(plan, script, detected)


def convert(text: str, to: str = "s2t") -> str:
    """Convert Chinese text to `to` (an OpenCC configuration or zh-Hans/-Hant/-TW/-HK/-CN)."""
    return conversion(to, text)(text)


def _sample(record: Record, fields: Sequence[str]) -> str:
    """The record's chosen text, enough of it to detect the script once for all fields."""
    parts: list[str] = []
    size = 0
    for name in dict.fromkeys(("text", *fields)):
        for value in _strings(record.get(name)):
            parts.append(value)
            size += len(value)
            if size >= SAMPLE_CHARS:
                return "\n".join(parts)
    return "\n".join(parts)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _convert_value(value: Any, change: Conversion) -> Any:
    if isinstance(value, str):
        return value if _URL.match(value) else change(value)
    if isinstance(value, list):
        return [
            _convert_value(item, change) if isinstance(item, (str, dict)) else item
            for item in value
        ]
    if isinstance(value, dict):
        return {
            key: _convert_value(item, change) if key in _TEXT_KEYS and item else item
            for key, item in value.items()
        }
    return value


def convert_record(
    record: Record, to: str = "zh-Hant", fields: Sequence[str] | None = DEFAULT_FIELDS
) -> Record:
    """A copy of `record` with its text fields converted to `to`; other fields untouched.

    Strings and lists of strings are converted, values that are URLs never. When the
    record has a `script` field and holds Chinese, `script` becomes the target's
    (e.g. "zh-Hant-TW"). Error records pass through unchanged.
    """
    chosen = tuple(fields) if fields is not None else DEFAULT_FIELDS
    check_target(to)
    if "error" in record:
        return dict(record)
    sample = _sample(record, chosen)
    change = conversion(to, sample)
    out = {
        key: _convert_value(value, change) if key in chosen else value
        for key, value in record.items()
    }
    if "script" in out and change.detected is not None:
        out["script"] = change.script
    return out


def convert_stream(chunks: Iterable[str], to: str) -> Iterator[str]:
    """Convert text arriving in chunks that end at line breaks, in constant memory.

    The script is detected once, on the first chunk holding Chinese, and that conversion
    serves the whole stream; chunks must not split a line, or phrases could be cut.
    """
    check_target(to)
    change: Conversion | None = None
    for chunk in chunks:
        if change is None:
            if to not in CONFIGS and detect_script(chunk) is None:
                yield chunk
                continue
            change = conversion(to, None if to in CONFIGS else chunk).warm()
        yield change(chunk)


@functools.cache
def _traditional_pattern() -> re.Pattern[str]:
    return re.compile(f"[{''.join(sorted(_TRADITIONAL_ONLY))}]")


def has_traditional(text: str) -> bool:
    """Whether the text has a common Traditional-only character (no OpenCC call)."""
    return _traditional_pattern().search(text) is not None
