"""Translations of the seeded reference data (organization types with their
descriptions, sectors, language names) in every shipped language, and the English
column of every translated field filled from the original, so the fallback always has
text. Only empty translations are filled: an organizer's own wording is kept.

The Spanish type and sector names carry the words neighbours search with
("cooperativa de vivienda", "banco de alimentos", "fondo de préstamos"): search indexes
every language's type and sector names (0022_search_translations), so the food
sector's names also say "food bank" in each language."""

from django.db import migrations
from django.db.models import F, Q

# slug: {lang: (name, plural, description)}
TYPES = {
    "worker-cooperative": {
        "es": ("Cooperativa de trabajo", "Cooperativas de trabajo", "Una empresa que es propiedad de las personas que trabajan en ella y que ellas mismas dirigen. Cada socia o socio trabajador tiene un voto, y las ganancias se reparten entre quienes trabajan."),
        "zh_hans": ("工人合作社", "工人合作社", "由在其中工作的人共同拥有和经营的企业。每位工人股东都有一票，利润由工人共享。"),
        "vi": ("Hợp tác xã của người lao động", "Các hợp tác xã của người lao động", "Một doanh nghiệp do chính những người làm việc ở đó sở hữu và điều hành. Mỗi người lao động là thành viên có một phiếu bầu, và lợi nhuận được chia cho những người lao động."),
        "ko": ("노동자 협동조합", "노동자 협동조합", "그곳에서 일하는 사람들이 함께 소유하고 운영하는 사업체입니다. 노동자 조합원은 한 사람당 한 표를 가지며, 수익은 노동자들이 나눕니다."),
        "am": ("የሠራተኞች ኅብረት ሥራ ማኅበር", "የሠራተኞች ኅብረት ሥራ ማኅበራት", "በውስጡ በሚሠሩ ሰዎች ባለቤትነት የሚመራ ድርጅት ነው። እያንዳንዱ ሠራተኛ-ባለቤት አንድ ድምፅ አለው፤ ትርፉም በሠራተኞቹ መካከል ይከፋፈላል።"),
        "fr": ("Coopérative de travail", "Coopératives de travail", "Une entreprise qui appartient aux personnes qui y travaillent et qu'elles dirigent elles-mêmes. Chaque membre a une voix, et les bénéfices sont partagés entre les travailleuses et travailleurs."),
    },
    "consumer-cooperative": {
        "es": ("Cooperativa de consumo", "Cooperativas de consumo", "Una tienda o un servicio que pertenece a las personas de la comunidad que lo usan, como una cooperativa de alimentos o de servicios públicos. Sus socios deciden cómo se administra y comparten sus excedentes."),
        "zh_hans": ("消费者合作社", "消费者合作社", "由使用它的社区成员共同拥有的商店或服务，例如食品合作社或公用事业合作社。成员投票决定如何经营，并分享盈余。"),
        "vi": ("Hợp tác xã tiêu dùng", "Các hợp tác xã tiêu dùng", "Một cửa hàng hoặc dịch vụ thuộc sở hữu của những người trong cộng đồng sử dụng nó, như hợp tác xã thực phẩm hay hợp tác xã điện nước. Thành viên bỏ phiếu về cách điều hành và cùng hưởng phần thặng dư."),
        "ko": ("소비자 협동조합", "소비자 협동조합", "식품 협동조합이나 공공서비스 협동조합처럼, 이용하는 지역 주민들이 함께 소유하는 가게나 서비스입니다. 조합원이 운영 방식을 투표로 정하고 잉여금을 나눕니다."),
        "am": ("የሸማቾች ኅብረት ሥራ ማኅበር", "የሸማቾች ኅብረት ሥራ ማኅበራት", "እንደ የምግብ ወይም የአገልግሎት ኅብረት ሥራ ማኅበር፣ በሚጠቀሙበት የማኅበረሰብ አባላት ባለቤትነት የሚተዳደር ሱቅ ወይም አገልግሎት። አባላት በአመራሩ ላይ ድምፅ ይሰጣሉ፤ ትርፉንም ይካፈላሉ።"),
        "fr": ("Coopérative de consommation", "Coopératives de consommation", "Un magasin ou un service qui appartient aux membres de la communauté qui l'utilisent, comme une coopérative alimentaire ou d'énergie. Les membres votent sur sa gestion et se partagent ses excédents."),
    },
    "producer-cooperative": {
        "es": ("Cooperativa de productores", "Cooperativas de productores", "Agricultores, artesanos o artistas que unen su trabajo para procesarlo, comercializarlo o venderlo juntos, y que son dueños de la cooperativa que lo hace."),
        "zh_hans": ("生产者合作社", "生产者合作社", "农民、手工艺人或艺术家把各自的劳动集中起来，共同加工、推广或销售产品，并共同拥有这家合作社。"),
        "vi": ("Hợp tác xã sản xuất", "Các hợp tác xã sản xuất", "Nông dân, thợ thủ công hoặc nghệ sĩ cùng góp sức để chế biến, quảng bá hoặc bán sản phẩm chung, và cùng sở hữu hợp tác xã làm việc đó."),
        "ko": ("생산자 협동조합", "생산자 협동조합", "농민, 공예가, 예술가들이 함께 생산물을 가공하고 홍보하고 판매하며, 그 일을 하는 협동조합을 함께 소유합니다."),
        "am": ("የአምራቾች ኅብረት ሥራ ማኅበር", "የአምራቾች ኅብረት ሥራ ማኅበራት", "ገበሬዎች፣ የእጅ ባለሙያዎች ወይም አርቲስቶች ምርታቸውን በጋራ ለማዘጋጀት፣ ለማስተዋወቅ ወይም ለመሸጥ ጉልበታቸውን ያስተባብራሉ፤ ይህንንም የሚሠራውን ማኅበር በጋራ ይይዛሉ።"),
        "fr": ("Coopérative de producteurs", "Coopératives de producteurs", "Des agriculteurs, artisans ou artistes qui mettent leur travail en commun pour le transformer, le promouvoir ou le vendre ensemble, et qui possèdent la coopérative qui s'en charge."),
    },
    "housing-cooperative": {
        "es": ("Cooperativa de vivienda", "Cooperativas de vivienda", "Un edificio o un grupo de viviendas que pertenece en común a quienes viven allí. En una cooperativa de capital limitado, el precio de reventa tiene un tope para que las viviendas sigan siendo asequibles."),
        "zh_hans": ("住房合作社", "住房合作社", "由住户共同拥有的一栋楼或一组住宅。在限制产权型合作社中，转售价格设有上限，让住房保持可负担。"),
        "vi": ("Hợp tác xã nhà ở", "Các hợp tác xã nhà ở", "Một tòa nhà hoặc cụm nhà do chính những người sống ở đó cùng sở hữu. Ở hợp tác xã giới hạn vốn, giá bán lại có mức trần để nhà luôn ở mức giá phải chăng."),
        "ko": ("주택 협동조합", "주택 협동조합", "거주자들이 함께 소유하는 건물이나 주택 단지입니다. 지분 제한형 협동조합에서는 재판매 가격에 상한이 있어 집값이 계속 감당할 만한 수준으로 유지됩니다."),
        "am": ("የቤቶች ኅብረት ሥራ ማኅበር", "የቤቶች ኅብረት ሥራ ማኅበራት", "በውስጡ በሚኖሩ ሰዎች በጋራ ባለቤትነት የተያዘ ሕንፃ ወይም የቤቶች ስብስብ። ውስን ድርሻ ባለው ማኅበር ውስጥ ቤቶች በተመጣጣኝ ዋጋ እንዲቆዩ የመሸጫ ዋጋ ገደብ አለው።"),
        "fr": ("Coopérative d'habitation", "Coopératives d'habitation", "Un immeuble ou un ensemble de logements qui appartient en commun aux personnes qui y vivent. Dans une coopérative à capitalisation limitée, le prix de revente est plafonné pour que les logements restent abordables."),
    },
    "community-land-trust": {
        "es": ("Fideicomiso comunitario de tierras", "Fideicomisos comunitarios de tierras", "Una organización sin fines de lucro, controlada por la comunidad, que conserva la tierra para siempre, de modo que las viviendas, granjas y comercios que hay en ella sigan siendo asequibles."),
        "zh_hans": ("社区土地信托", "社区土地信托", "由社区掌控的非营利组织，永久持有土地，使其上的住房、农场和商铺始终保持可负担。"),
        "vi": ("Quỹ đất cộng đồng", "Các quỹ đất cộng đồng", "Một tổ chức phi lợi nhuận do cộng đồng kiểm soát, giữ đất lâu dài để nhà ở, nông trại và cửa hàng trên đó luôn có giá phải chăng."),
        "ko": ("공동체 토지 신탁", "공동체 토지 신탁", "지역사회가 운영하는 비영리 단체로, 토지를 영구히 보유해 그 위의 집과 농장, 가게가 언제나 감당할 만한 가격으로 남도록 합니다."),
        "am": ("የማኅበረሰብ የመሬት አደራ", "የማኅበረሰብ የመሬት አደራዎች", "በማኅበረሰቡ የሚመራ ለትርፍ ያልተቋቋመ ድርጅት ሲሆን፣ በመሬቱ ላይ ያሉ ቤቶች፣ እርሻዎችና ሱቆች ለዘለቄታው በተመጣጣኝ ዋጋ እንዲቆዩ መሬቱን ይዞ ያቆያል።"),
        "fr": ("Fiducie foncière communautaire", "Fiducies foncières communautaires", "Un organisme sans but lucratif, contrôlé par la communauté, qui détient des terres pour de bon, afin que les logements, fermes et commerces qui s'y trouvent restent abordables pour toujours."),
    },
    "mutual-aid": {
        "es": ("Grupo de ayuda mutua", "Grupos de ayuda mutua", "Vecinas y vecinos que se organizan para cubrir directamente las necesidades de cada quien: comida (bancos de alimentos, despensas comunitarias), transporte, renta, cuidados. Solidaridad, no caridad."),
        "zh_hans": ("互助小组", "互助小组", "邻里自发组织起来，直接满足彼此的需要：食物（食物银行、社区食品柜）、出行、房租、照护。是团结互助，不是施舍。"),
        "vi": ("Nhóm tương trợ", "Các nhóm tương trợ", "Hàng xóm cùng nhau tổ chức để trực tiếp giúp nhau những thứ cần thiết: thực phẩm (ngân hàng thực phẩm, tủ thực phẩm cộng đồng), đi lại, tiền thuê nhà, chăm sóc. Đoàn kết, không phải từ thiện."),
        "ko": ("상호부조 모임", "상호부조 모임", "이웃들이 서로의 필요를 직접 채우기 위해 함께 조직합니다. 먹거리(푸드뱅크, 나눔 냉장고), 교통, 월세, 돌봄. 자선이 아니라 연대입니다."),
        "am": ("የመረዳጃ ቡድን", "የመረዳጃ ቡድኖች", "ጎረቤቶች አንዳቸው የሌላውን ፍላጎት በቀጥታ ለማሟላት ይደራጃሉ፦ ምግብ (የምግብ ባንኮች)፣ መጓጓዣ፣ የቤት ኪራይ፣ እንክብካቤ። ምጽዋት ሳይሆን መተጋገዝ ነው።"),
        "fr": ("Groupe d'entraide", "Groupes d'entraide", "Des voisines et voisins qui s'organisent pour répondre directement aux besoins de chacun : nourriture (banques alimentaires, épiceries solidaires), transport, loyer, soins. De la solidarité, pas de la charité."),
    },
    "credit-union": {
        "es": ("Cooperativa de ahorro y crédito", "Cooperativas de ahorro y crédito", "Un banco sin fines de lucro que pertenece a sus socios. Cada socio tiene un voto, y las ganancias vuelven a los socios en forma de comisiones más bajas y mejores tasas."),
        "zh_hans": ("信用合作社", "信用合作社", "由会员拥有的非营利银行。每位会员一票，收益以更低的费用和更好的利率回馈会员。"),
        "vi": ("Hợp tác xã tín dụng", "Các hợp tác xã tín dụng", "Một ngân hàng phi lợi nhuận do các thành viên sở hữu. Mỗi thành viên có một phiếu bầu, và lợi nhuận trở lại với thành viên qua phí thấp hơn và lãi suất tốt hơn."),
        "ko": ("신용협동조합", "신용협동조합", "조합원이 소유하는 비영리 은행입니다. 조합원은 한 사람당 한 표를 가지며, 수익은 더 낮은 수수료와 더 좋은 금리로 조합원에게 돌아갑니다."),
        "am": ("የብድርና ቁጠባ ኅብረት ሥራ ማኅበር", "የብድርና ቁጠባ ኅብረት ሥራ ማኅበራት", "በአባላቱ ባለቤትነት የሚተዳደር ለትርፍ ያልተቋቋመ ባንክ። እያንዳንዱ አባል አንድ ድምፅ አለው፤ ገቢውም በአነስተኛ ክፍያና በተሻለ ወለድ መልክ ወደ አባላቱ ይመለሳል።"),
        "fr": ("Coopérative de crédit", "Coopératives de crédit", "Une banque sans but lucratif qui appartient à ses membres. Chaque membre a une voix, et les bénéfices leur reviennent sous forme de frais plus bas et de meilleurs taux."),
    },
    "public-bank": {
        "es": ("Banco público", "Bancos públicos", "Un banco que pertenece a una ciudad, un condado o un estado y que invierte el dinero público en la comunidad en vez de en Wall Street."),
        "zh_hans": ("公共银行", "公共银行", "由市、县或州拥有的银行，把公共资金投入社区，而不是交给华尔街。"),
        "vi": ("Ngân hàng công", "Các ngân hàng công", "Một ngân hàng thuộc sở hữu của thành phố, quận hoặc tiểu bang, đầu tư tiền công vào cộng đồng thay vì vào Phố Wall."),
        "ko": ("공공은행", "공공은행", "시, 카운티 또는 주가 소유하는 은행으로, 공공 자금을 월스트리트가 아닌 지역사회에 투자합니다."),
        "am": ("የሕዝብ ባንክ", "የሕዝብ ባንኮች", "በከተማ፣ በካውንቲ ወይም በክፍለ ግዛት ባለቤትነት የተያዘ ባንክ ሲሆን፣ የሕዝብን ገንዘብ ለዎል ስትሪት ሳይሆን ለማኅበረሰቡ ያውላል።"),
        "fr": ("Banque publique", "Banques publiques", "Une banque qui appartient à une ville, un comté ou un État et qui investit l'argent public dans la communauté plutôt qu'à Wall Street."),
    },
    "community-lender": {
        "es": ("Fondo de préstamos solidarios o prestamista comunitario", "Fondos de préstamos solidarios y prestamistas comunitarios", "Un fondo de préstamos o una entidad de desarrollo comunitario que financia cooperativas, negocios comunitarios y vivienda en condiciones justas, muchas veces bajo control de la comunidad."),
        "zh_hans": ("互助贷款基金或社区贷款机构", "互助贷款基金和社区贷款机构", "以公平条件为合作社、社区企业和住房提供资金的贷款基金或社区发展贷款机构，通常由社区掌控。"),
        "vi": ("Quỹ cho vay đoàn kết hoặc tổ chức cho vay cộng đồng", "Các quỹ cho vay đoàn kết và tổ chức cho vay cộng đồng", "Một quỹ cho vay hoặc tổ chức tín dụng phát triển cộng đồng, cấp vốn với điều kiện công bằng cho hợp tác xã, doanh nghiệp cộng đồng và nhà ở, thường do cộng đồng kiểm soát."),
        "ko": ("연대 대출 기금 또는 지역사회 대출 기관", "연대 대출 기금 및 지역사회 대출 기관", "협동조합, 지역 사업체, 주택에 공정한 조건으로 자금을 빌려주는 대출 기금이나 지역개발 금융기관으로, 지역사회가 운영하는 경우가 많습니다."),
        "am": ("የመተጋገዝ የብድር ፈንድ ወይም የማኅበረሰብ አበዳሪ", "የመተጋገዝ የብድር ፈንዶችና የማኅበረሰብ አበዳሪዎች", "ለኅብረት ሥራ ማኅበራት፣ ለማኅበረሰብ ንግዶችና ለቤቶች በፍትሐዊ ሁኔታ ብድር የሚሰጥ የብድር ፈንድ ወይም የማኅበረሰብ ልማት አበዳሪ፤ ብዙውን ጊዜ በማኅበረሰቡ ቁጥጥር ሥር ነው።"),
        "fr": ("Fonds de prêts solidaires ou prêteur communautaire", "Fonds de prêts solidaires et prêteurs communautaires", "Un fonds de prêts ou un organisme de développement communautaire qui finance des coopératives, des commerces de quartier et du logement à des conditions justes, souvent sous contrôle de la communauté."),
    },
    "other": {
        "es": ("Otra organización de economía solidaria", "Otras organizaciones de economía solidaria", "Otras organizaciones que ponen a las personas y al planeta por delante de las ganancias: energía comunitaria, bancos de tiempo, redes y federaciones de cooperativas."),
        "zh_hans": ("其他团结经济组织", "其他团结经济组织", "其他把人和地球放在利润之前的组织：社区所有的能源、时间银行、合作社网络与联合会。"),
        "vi": ("Tổ chức kinh tế đoàn kết khác", "Các tổ chức kinh tế đoàn kết khác", "Những tổ chức khác đặt con người và hành tinh lên trên lợi nhuận: năng lượng do cộng đồng sở hữu, ngân hàng thời gian, mạng lưới và liên hiệp hợp tác xã."),
        "ko": ("기타 연대경제 조직", "기타 연대경제 조직", "이윤보다 사람과 지구를 먼저 생각하는 그 밖의 조직들: 지역 소유 에너지, 타임뱅크, 협동조합 네트워크와 연합회."),
        "am": ("ሌላ የመተጋገዝ ኢኮኖሚ ድርጅት", "ሌሎች የመተጋገዝ ኢኮኖሚ ድርጅቶች", "ሰዎችንና ምድርን ከትርፍ የሚያስቀድሙ ሌሎች ድርጅቶች፦ በማኅበረሰብ የተያዘ ኃይል፣ የጊዜ ባንኮች፣ የኅብረት ሥራ ማኅበራት መረቦችና ፌዴሬሽኖች።"),
        "fr": ("Autre organisation d'économie solidaire", "Autres organisations d'économie solidaire", "D'autres organisations qui placent les personnes et la planète avant le profit : énergie communautaire, banques de temps, réseaux et fédérations de coopératives."),
    },
}

_SECTOR_SLUGS = ["food", "housing", "money-finance", "care-health", "education", "arts-media", "energy", "goods-services", "repair-reuse", "agriculture", "transport", "technology", "other"]
_SECTOR_NAMES = {
    "es": ["Alimentos y bancos de alimentos", "Vivienda", "Dinero y finanzas", "Cuidados y salud", "Educación", "Arte y medios", "Energía", "Bienes y servicios", "Reparación y reutilización", "Agricultura", "Transporte", "Tecnología", "Otro"],
    "zh_hans": ["食品与食物银行", "住房", "金融", "照护与健康", "教育", "艺术与媒体", "能源", "商品与服务", "维修与再利用", "农业", "交通", "科技", "其他"],
    "vi": ["Thực phẩm và ngân hàng thực phẩm", "Nhà ở", "Tiền bạc và tài chính", "Chăm sóc và sức khỏe", "Giáo dục", "Nghệ thuật và truyền thông", "Năng lượng", "Hàng hóa và dịch vụ", "Sửa chữa và tái sử dụng", "Nông nghiệp", "Giao thông", "Công nghệ", "Khác"],
    "ko": ["먹거리와 푸드뱅크", "주거", "금융", "돌봄과 건강", "교육", "예술과 미디어", "에너지", "재화와 서비스", "수리와 재사용", "농업", "교통", "기술", "기타"],
    "am": ["ምግብና የምግብ ባንኮች", "መኖሪያ ቤት", "ገንዘብና ፋይናንስ", "እንክብካቤና ጤና", "ትምህርት", "ጥበብና ሚዲያ", "ኃይል", "ዕቃዎችና አገልግሎቶች", "ጥገናና መልሶ መጠቀም", "ግብርና", "መጓጓዣ", "ቴክኖሎጂ", "ሌላ"],
    "fr": ["Alimentation et banques alimentaires", "Logement", "Argent et finance", "Soins et santé", "Éducation", "Arts et médias", "Énergie", "Biens et services", "Réparation et réemploi", "Agriculture", "Transport", "Technologie", "Autre"],
}
_LANGUAGE_CODES = ["en", "es", "ase", "am", "ar", "bn", "zh", "fa", "fr", "ht", "hi", "ko", "pt", "ru", "so", "tl", "ti", "ur", "vi"]
_LANGUAGE_NAMES = {
    "es": ["Inglés", "Español", "Lengua de señas americana", "Amárico", "Árabe", "Bengalí", "Chino", "Persa (farsi)", "Francés", "Criollo haitiano", "Hindi", "Coreano", "Portugués", "Ruso", "Somalí", "Tagalo", "Tigriña", "Urdu", "Vietnamita"],
    "zh_hans": ["英语", "西班牙语", "美国手语", "阿姆哈拉语", "阿拉伯语", "孟加拉语", "中文", "波斯语（法尔西语）", "法语", "海地克里奥尔语", "印地语", "韩语", "葡萄牙语", "俄语", "索马里语", "他加禄语", "提格利尼亚语", "乌尔都语", "越南语"],
    "vi": ["Tiếng Anh", "Tiếng Tây Ban Nha", "Ngôn ngữ ký hiệu Mỹ", "Tiếng Amharic", "Tiếng Ả Rập", "Tiếng Bengal", "Tiếng Trung", "Tiếng Ba Tư (Farsi)", "Tiếng Pháp", "Tiếng Creole Haiti", "Tiếng Hindi", "Tiếng Hàn", "Tiếng Bồ Đào Nha", "Tiếng Nga", "Tiếng Somali", "Tiếng Tagalog", "Tiếng Tigrinya", "Tiếng Urdu", "Tiếng Việt"],
    "ko": ["영어", "스페인어", "미국 수어", "암하라어", "아랍어", "벵골어", "중국어", "페르시아어(파르시)", "프랑스어", "아이티 크리올어", "힌디어", "한국어", "포르투갈어", "러시아어", "소말리어", "타갈로그어", "티그리냐어", "우르두어", "베트남어"],
    "am": ["እንግሊዝኛ", "ስፓኒሽ", "የአሜሪካ የምልክት ቋንቋ", "አማርኛ", "ዓረብኛ", "ቤንጋሊኛ", "ቻይንኛ", "ፋርስኛ", "ፈረንሳይኛ", "የሄይቲ ክሪዮል", "ሂንዲ", "ኮሪያኛ", "ፖርቱጋልኛ", "ራሽያኛ", "ሶማሊኛ", "ታጋሎግ", "ትግርኛ", "ኡርዱ", "ቬትናምኛ"],
    "fr": ["Anglais", "Espagnol", "Langue des signes américaine", "Amharique", "Arabe", "Bengali", "Chinois", "Persan (farsi)", "Français", "Créole haïtien", "Hindi", "Coréen", "Portugais", "Russe", "Somali", "Tagalog", "Tigrigna", "Ourdou", "Vietnamien"],
}

SECTORS = {
    slug: {language: names[index] for language, names in _SECTOR_NAMES.items()}
    for index, slug in enumerate(_SECTOR_SLUGS)
}
LANGUAGE_NAMES = {
    code: {language: names[index] for language, names in _LANGUAGE_NAMES.items()}
    for index, code in enumerate(_LANGUAGE_CODES)
}
TRANSLATED = {
    "OrganizationType": ("name", "plural", "description"),
    "Sector": ("name",),
    "Language": ("name",),
    "Organization": ("summary", "how_to_join", "eligibility"),
}


def fill_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("directory", model_name)
        for field in fields:
            model.objects.filter(
                Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
            ).update(**{f"{field}_en": F(field)})


def _fill(model, key_field, rows, fields):
    for key, by_language in rows.items():
        item = model.objects.filter(**{key_field: key}).first()
        if item is None:
            continue
        for language, values in by_language.items():
            values = values if isinstance(values, tuple) else (values,)
            for field, value in zip(fields, values, strict=True):
                column = f"{field}_{language}"
                if not getattr(item, column):
                    setattr(item, column, value)
        item.save()


def translate_reference_data(apps, schema_editor):
    _fill(apps.get_model("directory", "OrganizationType"), "slug", TYPES, TRANSLATED["OrganizationType"])
    _fill(apps.get_model("directory", "Sector"), "slug", SECTORS, ("name",))
    _fill(apps.get_model("directory", "Language"), "code", LANGUAGE_NAMES, ("name",))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0020_translated_fields"),
    ]

    operations = [
        migrations.RunPython(fill_english, migrations.RunPython.noop),
        migrations.RunPython(translate_reference_data, migrations.RunPython.noop),
    ]
