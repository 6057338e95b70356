/**
 * A small bilingual thesaurus of city-complaint concepts. Each concept
 * groups Chinese surface forms (matched as substrings) and English words or
 * phrases (matched after stemming) that mean roughly the same thing, and
 * becomes one extra feature "k:<concept>". Its job is to let the few
 * hundred training reports generalise: a Chinese report about 煤气味 and an
 * English one about a gas smell light the same feature, and so do synonyms
 * neither split has seen. Concepts describe things and situations, not
 * categories; which category they point to is learned, not written here.
 *
 * The forms come from general knowledge of the domain. A form that occurs in
 * the held-out or probe reports but nowhere in the train split is not
 * allowed (concepts.test.ts checks it): the thesaurus must not carry words
 * the evaluation sets would otherwise have to earn.
 */
export const CONCEPTS: Record<string, readonly string[]> = {
  // surfaces and structures
  road_surface: ['路面', '马路', '柏油', '沥青', '水泥路', '车道', '辅路', 'asphalt', 'tarmac', 'carriageway', 'street surface', 'road surface', '路基', '路段', '机动车道', 'blacktop'],
  pavement: ['人行道', '便道', '步道', '地砖', '路沿', '马路牙子', '盲道', 'pavement', 'sidewalk', 'footpath', 'kerb', 'curb', 'paving', 'tactile paving', 'footway', '人行步道', '台阶', 'walkway', 'steps'],
  hole: ['坑', '洞', '凹', '塌陷', '沉降', '下沉', 'pothole', 'hole', 'crater', 'sinkhole', 'dip', 'sunk', 'cave in', 'caved', '凹陷', '坑洼', '坑坑洼洼', '大坑', '深坑', 'pit', 'caving'],
  crack: ['裂', '开裂', '裂缝', '裂开', '碎', '破损', '起皮', '鼓包', '翘', 'crack', 'cracked', 'broken', 'crumbling', 'smashed', 'shattered', 'lifted', 'peeling', 'loose', '断裂', '碎裂', 'fracture', 'split', 'chipped'],
  cover_lid: ['井盖', '井口', '窨井', '检查井', '篦子', '箅子', '盖板', '盖子', '雨水口', '井', 'manhole', 'lid', 'grate', 'grating', 'drain cover', '井盖子', '污水井', '雨水井', '电力井', 'sewer lid', 'drain grate', 'manhole lid'],
  open_pit: ['敞着', '掉进去', '掉下去', '踩空', '没盖', 'open hole', 'fell in', 'fall in', 'wheel went', 'uncovered hole', '没盖子', '敞口', '洞口', 'gaping', 'exposed hole'],
  rattle_bang: ['咣当', '哐', '砰', '响', '晃动', '松动', 'rattle', 'rattling', 'bang', 'banging', 'clang', 'clunk', 'wobble'],
  // lights and signals
  lamp: ['路灯', '灯杆', '灯柱', '灯泡', '灯头', '灯罩', '照明', '草坪灯', '高杆灯', '灯', 'lamp', 'lamppost', 'lamp post', 'streetlight', 'light', 'lighting', 'bulb', '照明灯', '景观灯', '灯光', 'street lamp', 'lantern'],
  dark: ['黑乎乎', '漆黑一片', '黑着', '全黑', '摸黑', '太黑', '一片黑', '太暗', '昏暗', '灭了', '熄灭', '全灭', '漆黑', '看不见', '看不清', '不亮', 'dark', 'pitch black', 'unlit', 'darkness', 'dim', '黑灯瞎火', '伸手不见五指', '不亮了', 'no lighting', 'lights out'],
  flicker: ['闪', '忽明忽暗', '一闪一闪', 'flicker', 'flickering', 'flash', 'blinking'],
  daytime_waste: ['白天', '大白天', '中午', '浪费', 'daytime', 'noon', 'broad daylight', 'waste of electricity'],
  signal: ['红绿灯', '信号灯', '交通灯', '红灯', '绿灯', '黄灯', '黄闪', '倒计时', '读秒', '箭头灯', '左转灯', '行人灯', 'traffic light', 'traffic signal', 'signal', 'red light', 'green light', 'amber', 'countdown', 'arrow', '信号', 'stop light', 'walk signal'],
  timing: ['周期', '秒', '太短', '变灯', '放行', 'timing', 'cycle', 'phase'],
  junction: ['路口', '交叉口', '丁字路口', '转弯', '左转', '右转', '掉头', 'junction', 'crossing', 'intersection', 'crossroad', 'left turn', 'right turn', 'corner'],
  crossing_people: ['过马路', '人行横道', '过街', 'zebra', 'cross the road', 'crosswalk', 'pedestrian crossing', 'across'],
  // vehicles and traffic
  car: ['车', '汽车', '私家车', '轿车', 'suv', '面包车', '货车', '大货车', '出租车', '网约车', '车牌', 'car', 'vehicle', 'van', 'truck', 'lorry', 'taxi', 'sedan', 'plate'],
  parking: ['停车', '停在', '停着', '占道停', '违停', '乱停', '挡住', '堵住', '堵死', '地锁', '车位', 'park', 'parked', 'parking', 'double parking', 'blocking', 'ground lock', '乱停乱放', '停车位', '占用车位', '违章停车', 'parked car'],
  driveway_garage: ['车库', '车库门', '出不去', 'garage', 'driveway', 'garage door'],
  abandoned_vehicle: ['僵尸车', '报废', '半年没动', '瘪', '积灰', 'abandoned', 'flat tyre', 'flat tire', 'hasn\'t moved', 'not moved'],
  jam: ['堵车', '堵了', '堵成', '堵得', '一动不动', '车流', '拥堵', '排队', '排了', '水泄不通', '瘫痪', '龟速', '锁死', '走走停停', 'jam', 'jammed', 'traffic jam', 'standstill', 'queue', 'queued', 'crawl', 'stuck in traffic', 'not moving', 'bumper to bumper', '塞车', '堵塞', '车多', '排长队', 'congested', 'congestion', 'tailback', 'snarl', 'traffic', '动不了', '塞满', '长龙', '堵成一团', 'gridlock', 'gridlocked', 'bottleneck'],
  rush_hour: ['高峰', '早高峰', '晚高峰', '上下班', '放学', '上学', '节假日', '周末', 'rush hour', 'peak', 'commute', 'holiday'],
  bus: ['公交', '公交车', '巴士', '班车', '夜班车', '站台', '站牌', '公交站', 'bus', 'bus stop', 'route', 'shelter', 'night bus', 'timetable', '公车', '大巴', '小巴', '站点', 'coach', 'minibus', 'bus lane', '路车', '末班车', 'last bus', 'shuttle', 'tram'],
  metro: ['地铁', '轨道', '站厅', '闸机', '换乘', '扶梯', '号线', 'metro', 'subway', 'train', 'station', 'platform', 'ticket gate', 'interchange', '轻轨', '安检', '出站口', 'light rail', 'tube', 'carriage'],
  driver_service: ['司机', '乘客', '态度', '刷卡', '投币', '到站', '发车', '班次', 'driver', 'passenger', 'fare', 'rude', 'frequency', 'arrival', 'wait', '准点', '不停站', 'skipped', 'skip', 'schedule'],
  // waste and streets
  garbage: ['垃圾', '废品', '废弃物', '塑料袋', '泡沫', '纸箱', '外卖盒', '烂菜叶', '厨余', '渣土', '杂物', 'rubbish', 'garbage', 'litter', 'waste', 'junk', 'debris', 'rubble', 'plastic bag', '废物', '果皮', '烟头', '建筑垃圾', 'refuse', 'bottles', '废料', 'household waste', 'tipped'],
  bin: ['垃圾桶', '垃圾箱', '果皮箱', '垃圾站', '垃圾房', '分类', 'bin', 'dumpster', 'waste station', 'recycling'],
  uncollected: ['没人收', '没人清', '没清运', '没拉走', '满了', '溢', '堆', '倒了', '乱扔', 'overflow', 'overflowing', 'not collected', 'uncollected', 'dumped', 'pile', 'piled', 'fly-tipping', 'thrown', '没人来清', '没人拉', '清运车', 'emptied', 'fly-tipped'],
  bulky_item: ['沙发', '床垫', '旧家具', '冰箱', '马桶', '旧门窗', '轮胎', 'sofa', 'mattress', 'furniture', 'fridge', 'tyre', 'tire', 'toilet bowl'],
  stall: ['摊', '摆摊', '地摊', '摊贩', '小贩', '推车', '三轮车', '流动', '夜市', '小吃', '烧烤车', '卖', '叫卖', 'stall', 'vendor', 'hawker', 'cart', 'tricycle', 'street food', 'night market', 'selling', 'sell', 'seller', '摊位', '摊点', '商贩', '游商', '早点摊', '烧烤摊', 'peddler', 'hawking'],
  occupy_space: ['占道', '占用', '占了', '摆到', '堆在', '挡', '堵了', '延伸', 'occupy', 'spill', 'blocks', 'onto the pavement'],
  loudspeaker: ['喇叭', '音箱', '音响', '话筒', '循环', 'loudspeaker', 'speaker', 'megaphone', 'blast', 'recorded'],
  // building
  build_structure: ['加盖', '盖了', '盖起', '搭', '加建', '违建', '彩钢', '铁皮', '棚', '围墙', '砌', '圈', '封', '阁楼', 'built', 'shed', 'shack', 'extension', 'canopy', 'enclose', 'wall off', 'walled', 'bricked', 'extra floor', 'cabin', '违章建筑', '私搭乱建', '搭建', '加层', 'illegal structure', 'annex', '阳光房', '钢架', '夹层', '盖房', 'mezzanine', 'prefab', 'steel frame', 'extending', 'brick room', 'enclosed'],
  roof_balcony: ['楼顶', '屋顶', '顶楼', '阳台', 'roof', 'top floor', 'balcony', 'terrace'],
  permit: ['审批', '手续', '许可', '公示', '规划', '违法', '违规', '擅自', 'permit', 'licence', 'license', 'illegal', 'without permission', 'unauthorised', '批文', 'planning', 'approval', 'sign-off'],
  load_bearing: ['承重墙', '砸墙', '拆墙', '挖地下室', 'knock down wall', 'basement dig'],
  site: ['工地', '施工', '在建', '楼盘', '项目', '围挡', '塔吊', '搅拌车', '打桩', '桩', '浇', '混凝土', '脚手架', '基坑', '工人', 'site', 'building site', 'construction', 'crane', 'concrete', 'hoarding', 'scaffolding', 'pile driving', 'road works', 'crew', 'demolition', '工程', '工程车', '施工队', '开工', '动工', 'construction site', 'contractor', 'builders'],
  machinery: ['挖掘机', '切割机', '电焊', '风镐', '破碎', '铣刨', '钢筋', '钢管', '发电机', '碎石机', 'excavator', 'welding', 'drill', 'milling', 'steel'],
  dust_mud: ['扬尘', '粉尘', '灰', '泥', '撒', '遗撒', '渣土车', 'dust', 'mud', 'muck', 'spray water', 'dump truck', 'muck truck'],
  // noise
  noise: ['吵', '噪音', '噪声', '声音', '震', '响', '咚咚', '嗡嗡', '扰民', '睡不着', '吵醒', '分贝', 'noise', 'noisy', 'loud', 'sound', 'hum', 'bass', 'boom', 'shake', 'sleep', 'decibel', 'racket', '嘈杂', '轰鸣', '刺耳', 'din', 'blaring', 'deafening'],
  late_night: ['半夜', '深夜', '凌晨', '夜里', '通宵', '晚上十', '十一点', '十二点', 'midnight', 'overnight'],
  early_morning: ['早上五', '早上六', '早上七', '五点', '六点', '天不亮', '清早', 'dawn', 'early morning'],
  music_party: ['音乐', '唱歌', '广场舞', 'ktv', '酒吧', '乐队', '派对', '麻将', '划拳', '萨克斯', '钢琴', '鼓', 'music', 'singing', 'karaoke', 'bar', 'party', 'band', 'drum', 'saxophone', 'mahjong', 'piano'],
  neighbour: ['楼上', '楼下', '隔壁', '邻居', '对门', '住户', '租户', 'upstairs', 'downstairs', 'neighbour', 'neighbor', 'next door', 'flat above', 'tenant'],
  stomp_bang: ['跺脚', '拖椅子', '摔东西', '跑来跑去', '拍球', '吵架', 'stomp', 'drag', 'furniture', 'slam', 'running around'],
  dog_bark: ['狗叫', '犬吠', '叫个不停', '鹦鹉', 'bark', 'barking', 'howl'],
  revving: ['飙车', '炸街', '改装', '排气管', '轰', 'racing', 'rev', 'exhaust', 'modified car', 'silencer', 'roar'],
  // air and water
  smoke: ['烟', '黑烟', '浓烟', '冒烟', '油烟', '烟囱', '熏', 'smoke', 'smoky', 'fumes', 'chimney', 'haze', 'soot', '烟雾', '烟尘', '浓烟滚滚', 'smog'],
  smell: ['味', '气味', '臭', '刺鼻', '呛', '异味', '恶臭', '难闻', '熏', 'smell', 'smelly', 'stink', 'stench', 'odour', 'odor', 'whiff', '臭味', '味道', 'pong', 'stinky'],
  burning: ['烧', '焚烧', '燃烧', '焦', '烤', '烧烤', 'burn', 'burning', 'bonfire', 'bbq', 'barbecue', 'grill', 'scorched'],
  factory: ['工厂', '厂子', '厂房', '化工', '作坊', '排放', '偷排', '园区', '工业园', 'workshop', 'chemical', 'industrial', 'discharge', 'emission'],
  cooking_fumes: ['油烟', '排烟', '排风', '餐馆', '饭店', '火锅', 'cooking', 'extractor', 'kitchen vent', 'restaurant', 'fryer'],
  paint_chemical: ['油漆', '喷漆', '甲醛', '稀释剂', '沥青', '橡胶', '塑料', 'paint', 'solvent', 'formaldehyde', 'plastic'],
  river_lake: ['河道', '河水', '河里', '河面', '河边', '小河', '江水', '江里', '江边', '江面', '湖水', '湖面', '湖里', '湖边', '水塘', '池塘', '水沟', '渠', '护城河', '景观河', '水体', 'river', 'lake', 'pond', 'canal', 'creek', 'stream', 'moat', 'waterway', '湿地', 'ditch'],
  dirty_water: ['发黑', '黑水', '发臭', '发绿', '浑', '变色', '泡沫', '油花', '污水', '排污', 'black water', 'foam', 'foamy', 'oily', 'oil slick', 'algae', 'sewage', 'effluent', 'murky', '臭水', '脏水', 'polluted', 'contaminated', 'discoloured'],
  dead_fish: ['死鱼', '翻白肚', '鱼都死', 'dead fish', 'fish kill', 'fish dying'],
  pipe_outfall: ['排水口', '管子', '管道', '排到河', '往河里', 'outfall', 'pipe', 'discharge pipe', 'into the river'],
  tap_water: ['自来水', '水龙头', '水压', '水表', '供水', '二次供水', '水箱', '直饮水', 'tap', 'tap water', 'water pressure', 'water supply', '用水', '水管', '水费', 'water pipe', 'water bill', 'plumbing'],
  no_water: ['停水', '没水', '断水', '一滴水', '来水', '送水车', 'no water', 'water cut', 'water outage', '断供', 'dry taps', 'no running water'],
  water_quality: ['黄水', '锈', '浑浊', '沙子', '虫子', 'rust', 'yellow water', 'cloudy', 'milky', 'bleach', 'chlorine', 'sand'],
  burst_leak: ['爆管', '爆了', '破了', '漏水', '漏', '渗', '冒水', '喷水', '往外冒', 'burst', 'leak', 'leaking', 'gushing', 'fountain', 'spraying', 'bubbling up', 'seep'],
  rain: ['雨', '下雨', '暴雨', '大雨', '雷阵雨', '雨季', '台风', 'rain', 'rainy', 'storm', 'downpour', 'thunderstorm', '下暴雨', '阵雨', 'shower', 'heavy rain'],
  ponding: ['积水', '淹', '水坑', '蹚水', '汪洋', '倒灌', '进水', '水深', '没过', 'flood', 'flooded', 'flooding', 'puddle', 'ponding', 'waterlogged', 'under water', '水漫', '泡水', '内涝', 'inundated', 'submerged'],
  drain_sewer: ['下水道', '排水', '雨水口', '污水井', '化粪池', '地漏', '返水', '堵塞', '疏通', '排水沟', 'drain', 'sewer', 'septic', 'storm drain', 'gully', 'clogged', 'floor drain', '排水管', '下水井', '管网', '阴沟', 'sewage pipe'],
  underpass_tunnel: ['地下通道', '下穿', '涵洞', '隧道', '桥洞', '地下车库', '车库', 'underpass', 'tunnel', 'culvert', 'subway passage', 'underground car park', 'garage'],
  // energy
  gas: ['煤气', '燃气', '天然气', '液化气', '气罐', '燃气表', '灶', '打不着火', '调压箱', 'gas', 'gas cylinder', 'gas meter', 'cooker', 'stove', 'hob', '煤气罐', '燃气管', '燃气公司', 'natural gas', 'gas pipe', 'gas company', 'gas supply', 'gas bottle'],
  gas_smell: ['煤气味', '燃气味', '臭鸡蛋味', '漏气', '咝咝', '呲呲', 'gas smell', 'smell of gas', 'smells of gas', 'rotten egg', 'hissing', 'gas leak'],
  power: ['停电', '跳闸', '电压', '供电', '电表', '电费', '变压器', '没电', 'power outage', 'blackout', 'no power', 'voltage', 'transformer', 'fuse', 'electricity', '电力', '供电局', '电路', '插座', 'power supply', 'outage', 'socket', 'electric', '断电', 'power cut', 'tripping', 'lost electricity', 'no electricity'],
  live_wire: ['电线', '高压线', '打火', '火花', '漏电', '电线杆', 'wire', 'cable', 'power line', 'spark', 'sparking', 'live wire', 'exposed wire', 'utility pole', 'electrocute'],
  heating: ['暖气', '供暖', '暖气片', '供热', '采暖', '回水', '地暖', '不热', '冰凉', '冻', 'heating', 'heat', 'freezing', 'lukewarm', '暖和', '热力', '锅炉', '供暖费', 'boiler', 'central heating', 'warm', 'radiator', '暖气管', '热力公司', 'heating company', 'stone cold'],
  // green
  tree: ['树', '大树', '行道树', '树枝', '树干', '树根', '树池', '枝条', '柳树', '梧桐', '槐树', '竹子', 'tree', 'branch', 'root', 'sapling', 'willow', 'bamboo', '树木', '树苗', '枝桠', '枝叶', 'branches', 'foliage', 'poplar'],
  fallen_leaning: ['倒了', '倒下', '倒在路', '刮倒', '倒伏', '歪', '倾斜', '断了', '折断', '砸', '连根', 'fell', 'fallen', 'came down', 'uprooted', 'lean', 'leaning', 'toppled', 'blown over', 'collapse'],
  green_space: ['绿化', '绿地', '草坪', '草地', '花坛', '灌木', '绿篱', '隔离带', '月季', 'lawn', 'grass', 'flower bed', 'shrub', 'hedge', 'green belt', 'median', 'weed', '绿化带', '草皮', '苗木', 'greenery', 'flowers'],
  prune: ['修剪', '剪', '遮', '挡光', '采光', '太密', '太高', '飞絮', '飞毛', 'prune', 'trim', 'cut back', 'overgrown', 'fluff'],
  // food and market
  food: ['饭菜', '外卖', '吃', '饭', '食品', '食物', '肉', '奶', '酸奶', '蛋糕', '海鲜', '早餐', '辣条', '饮料', 'food', 'meal', 'meat', 'milk', 'yoghurt', 'yogurt', 'cake', 'mushroom', 'lunch', 'dinner', 'dish', '食材', '菜品', '熟食', '牛肉', '羊肉', '鸡肉', 'beef', 'chicken', 'bread', 'rice'],
  food_poisoning: ['拉肚子', '呕吐', '肚子疼', '腹泻', '食物中毒', 'food poisoning', 'vomit', 'vomiting', 'diarrhea', 'stomach ache', 'sick after', '上吐下泻'],
  expired_unsafe: ['过期', '变质', '发霉', '臭了', '不新鲜', '病死', '三无', '生产日期', '地沟油', 'expired', 'mouldy', 'moldy', 'rotten', 'gone off', 'no date', 'fake', 'counterfeit', '过了保质期', '保质期', '不合格', '假冒', 'out of date', 'spoiled'],
  shop_business: ['店', '商家', '超市', '餐厅', '饭馆', '老板', '商场', '理发店', '美容院', '培训机构', '直播', '网购', 'shop', 'store', 'supermarket', 'restaurant', 'owner', 'merchant', 'gym', 'salon', 'seller', 'online', '门店', '商店', '酒店', 'business', 'company'],
  money_refund: ['不给退', '退钱', '退款', '退费', '钱', '收费', '价格', '办卡', '充值', '预付', '发票', '秤', '跑路', 'refund', 'money', 'price', 'overcharged', 'membership', 'card', 'prepaid', 'receipt', 'rip-off', 'fee', '维权', '赔偿', 'compensation', 'deposit', 'bill', 'paid', '秤不准', '不退', 'rigged', 'tuition'],
  hygiene_kitchen: ['后厨', '卫生', '脏', '蟑螂', '苍蝇', 'kitchen', 'chopping board', 'hygiene', 'dirty'],
  // fire and safety
  fire_lane: ['消防通道', '消防车道', '消防车', '登高场地', '安全出口', '疏散', '逃生', '防火门', '楼梯', '楼道', 'fire lane', 'fire engine', 'emergency exit', 'escape', 'fire door', 'stairwell', 'corridor', 'staircase', '生命通道', '疏散通道', 'escape route', 'evacuation route'],
  fire_equipment: ['灭火器', '消防栓', '喷淋', '消防设施', '水带', 'hydrant', 'sprinkler', 'exit sign', '消防器材', '灭火', 'fire alarm', 'fire equipment'],
  ebike_charging: ['电动车', '电瓶车', '电瓶', '电池', '充电', '飞线', 'ebike', 'scooter', 'battery', 'charging', 'extension cable', '充电器', 'charger', 'lithium'],
  flammable_storage: ['易燃', '液化气罐', '汽油', '柴油', '烟花爆竹', '木柴', '泡沫', '纸箱', '仓库', '堆放', 'flammable', 'petrol', 'gasoline', 'diesel', 'fireworks', 'firewood', 'warehouse', 'storing', 'stacked'],
  locked_blocked: ['锁', '锁死', '铁链', '堵', '堆满', '封死', '关不上', '撑着', 'locked', 'chained', 'padlock', 'blocked', 'wedged'],
  fire_flame: ['着火', '起火', '火苗', '火光', '大火', '烧起来', '失火', 'flame', 'blaze', 'caught fire', 'burning building', '自燃', 'flames'],
  explosion: ['炸了', '爆炸', '巨响', 'explosion', 'explode', 'blast', 'bang'],
  injured: ['流血', '出血', '躺在地上', '不动', '压住', '压到', '撞了', '昏迷', '抽搐', '口吐白沫', 'injured', 'hurt', 'bleeding', 'blood', 'unconscious', 'not moving', 'collapsed', 'seizure', 'crushed', '骨折', '头破血流', '没有呼吸', 'wounded', 'not breathing'],
  crash: ['撞', '相撞', '追尾', '剐蹭', '车祸', '冲进', '逆行', 'crash', 'collision', 'hit', 'rear-ended', 'scrape', '碰撞', '出车祸', 'pile-up', 'crashed', '撞倒', 'overturned', 'knocked down', 'ran over'],
  trapped: ['被困', '困在', '困住', '困着', 'shouting for help', 'cry for help', '卡在', '下不来', '呼救', '掉进', '落水', '溺水', 'trapped', 'stuck', 'drowning', 'fell into', '救人', '出不去', 'stranded', 'pinned'],
  falling_object: ['掉下来', '坠落', '高空', '招牌', '广告牌', '玻璃', '空调外机', '外墙', '脱落', 'falling', 'sign', 'glass', 'hanging', 'facade'],
  collapse_slide: ['倒塌', '塌', '滑坡', '泥石流', '山体', '挡土墙', 'collapse', 'collapsed', 'landslide', 'mudslide', 'retaining wall', 'dangerous building', '坍塌', '垮塌', '塌方', 'cave-in'],
  crowd_crush: ['挤倒', 'crush', 'trampled'],
  violence: ['打架', '拿刀', '砍', '斗殴', '跳楼', '轻生', 'fight', 'stab', 'attack', 'jump', 'suicide', '捅', '打人', 'stabbed', 'knife'],
  lift: ['电梯', '轿厢', 'lift'],
  emergency_call: ['救护车', 'ambulance', 'paramedic', 'emergency services'],
  danger_now: ['危险', '吓人', '马上', '赶紧', '快来', '紧急', '随时', 'danger', 'dangerous', 'urgent', 'emergency', 'immediately', 'hurry', 'any moment'],
  ongoing: ['还在', '正在', '刚才', '刚刚', '现在', '已经', '越来越', '随时', 'still', 'right now', 'just now', 'already', 'currently', 'at the moment', 'getting worse', 'minutes ago', 'keeps growing'],
  people_at_risk: ['有人', '行人', '路人', '人多', '人来人往', '旁边有人', '下面是', '还有人', '好多人', 'people', 'pedestrian', 'someone', 'passers-by', 'underneath', 'nobody has'],
  children: ['小孩', '孩子', '儿童', '学生', '小学生', '幼儿园', '宝宝', 'child', 'children', 'kid', 'kids', 'pupil', 'toddler', 'baby', 'boy', 'girl'],
  school: ['学校', '小学', '中学', '幼儿园', '校门', 'school', 'kindergarten', 'school gate'],
  // context
  wind: ['大风', '刮风', '狂风', '风一吹', '风吹', 'wind', 'windy', 'gale', 'gust'],
  inquiry: ['请问', '怎么办', '怎么申请', '去哪里', '哪个部门', '归谁管', '谁管', '可不可以', 'apply', 'application', 'responsible', 'allowed'],
  hospital: ['医院', '急诊', '病人', '看病', 'hospital', 'clinic', 'patient'],
  winter_cold: ['冬天', '寒冷', '零下', '结冰', 'winter', 'freezing', 'ice', 'snow'],
  evening: ['晚上', '夜间', '夜里', '天黑', 'night', 'evening', 'after dark'],
  morning: ['早上', '早晨', '上午', 'morning'],
  advertising: ['广告', '促销', '招揽', '推销', 'advert', 'promotion', 'sales pitch'],
  // people who need care
  elderly: ['老人', '老太太', '老爷爷', '大爷', '阿姨', '奶奶', '爷爷', '高龄', '独居', '孤寡', '老年', '老先生', '老太', 'elderly', 'old man', 'old lady', 'old woman', 'old people', 'grandma', 'grandmother', 'grandpa', 'pensioner', 'senior', 'aged', '长者', '老伯', '老婆婆', '老两口', '空巢', 'old folks', 'granny', 'elder'],
  fall_down: ['摔倒', '摔了', '跌倒', '起不来', '倒在', '摔', 'fell', 'fall', 'fallen', 'slipped', 'tripped'],
  dementia_lost: ['痴呆', '阿尔茨海默', '走失', '找不到家', '说不清', 'dementia', 'alzheimer', 'wandering', 'lost'],
  disability: ['残疾', '轮椅', '瘫痪', '盲人', '视障', '无障碍', '智力', 'disabled', 'disability', 'wheelchair', 'blind', 'bedridden', 'paralysed'],
  welfare: ['补贴', '津贴', '救助', '养老', '助餐', '食堂', '上门', '志愿者', '日间照料', 'allowance', 'subsidy', 'welfare', 'benefit', 'care', 'carer', 'meal delivery', 'canteen', 'volunteer', 'nursing home', 'home visit', '社区服务', '居家养老', '送餐', '助老', 'social worker', 'assistance'],
  homeless: ['流浪', '流浪汉', '露宿', '无家可归', '纸板', '桥洞', 'homeless', 'rough sleeper', 'sleeping rough', 'cardboard'],
  alone: ['一个人', '独自', '没人管', '子女', '儿女', '好几天没', 'alone', 'lives alone', 'no family'],
  // animals and pests
  dog: ['狗', '犬', '流浪狗', '遛狗', '牵绳', '狗屎', 'dog', 'stray', 'leash', 'dog poo', '宠物', '狗狗', '大型犬', 'puppy', 'pet'],
  cat: ['猫', '流浪猫', 'cat', 'kitten'],
  bite_attack: ['咬', '抓伤', '扑', '蛰', '咬伤', 'bite', 'scratch', 'scratched', 'sting', 'stung', 'attack'],
  rodent: ['老鼠', '鼠', 'rat', 'rats', 'mouse', 'mice', 'rodent', '鼠患', 'vermin'],
  insect: ['蚊子', '苍蝇', '蟑螂', '跳蚤', '黄蜂', '蜂窝', '虫', '孑孓', '幼虫', 'mosquito', 'fly', 'flies', 'cockroach', 'flea', 'wasp', 'hornet', 'bee', 'larva', 'bug', '虫害', '白蚁', '臭虫', 'termite', 'bedbug', 'pest'],
  wild_animal: ['蛇', '野鸭', '鸽子', '鸟', '禽', '活禽', 'snake', 'monkey', 'duck', 'pigeon', 'poultry'],
  carcass: ['死狗', '死猫', '死老鼠', '死鸟', '死鸡', '尸体', '被撞死', 'dead dog', 'dead rat', 'dead bird', 'carcass', 'roadkill'],
  toilet: ['厕所', '公厕', '卫生间', '坑位', '尿', '厕纸', 'toilet', 'public toilet', 'loo', 'restroom', '公共卫生间', '旱厕', 'lavatory'],
  disease: ['传染', '疾病', '禽流感', '登革热', '发烧', '咳嗽', 'infection', 'disease', 'dengue', 'vaccine', 'vaccinated', 'fever', 'cough'],
  // residential compound
  property_mgmt: ['物业', '物业费', '业委会', '业主', '维修基金', '保安', '门卫', '管理处', 'management company', 'property company', 'management fee', 'owners', 'developer', 'security guard', 'repair fund', 'estate office', '物管', '居委会', 'landlord', 'managing agent'],
  compound: ['小区', '楼栋', '单元', '栋', '楼道', '地下车库', '门禁', '单元门', '快递柜', 'compound', 'estate', 'unit', 'stairwell', 'access gate', 'residential', '楼盘', '住宅楼', '居民楼', 'apartment', 'flats', 'housing'],
  ceiling_leak: ['天花板', '墙皮', '漏到我家', '楼上漏水', '渗水', '防水', '泡了', 'damp', 'water stain', 'waterproof', 'leaking into'],
  dispute: ['纠纷', '吵', '不承认', '不听', '沟通', '骂人', '不讲理', '说了好几次', 'dispute', 'argue', 'refuse', 'won\'t listen', 'swear', '矛盾', '协商', '调解', 'quarrel', 'mediation'],
  privacy_camera: ['摄像头', '监控', '隐私', 'camera', 'cctv', 'privacy'],
};
