// CityOps live console: user-facing strings, Chinese first (zh-CN), English second (en-US).
export const messages = {
  'zh-CN': {
    title: 'CityOps 城市运行 · 实时感知',
    signIn: '登录', username: '用户名', password: '密码', signOut: '退出',
    signInFailed: '登录失败：', filterClass: '指标类别', allClasses: '全部',
    connect: '开始接收', connected: '已连接，实时数据接收中', disconnected: '未连接',
    sensor: '传感器', time: '时间', value: '数值', updates: '条更新',
    incidents: '注入事件（演示）', rainstorm: '暴雨', congestion: '拥堵', pipe_burst: '爆管', fire: '火情', sos: '一键呼救',
    injected: '已注入：', docs: 'API 文档', attribution: '地图数据 © OpenStreetMap 贡献者', language: 'English',
    traffic: '交通流量/速度', air_quality: '空气质量', noise: '噪声', water_level: '水位', rainfall: '降雨',
    pipe: '管网压力/流量', energy: '能源负荷', crowd: '人流密度', parking: '停车占用', tilt: '井盖/结构倾斜', smoke: '烟感', sos_class: '一键呼救',
  },
  'en-US': {
    title: 'CityOps city operations · live sensing',
    signIn: 'Sign in', username: 'Username', password: 'Password', signOut: 'Sign out',
    signInFailed: 'Sign-in failed: ', filterClass: 'Indicator class', allClasses: 'All',
    connect: 'Start streaming', connected: 'Connected, receiving live readings', disconnected: 'Not connected',
    sensor: 'Sensor', time: 'Time', value: 'Value', updates: 'updates',
    incidents: 'Inject an incident (demo)', rainstorm: 'Rainstorm', congestion: 'Congestion', pipe_burst: 'Pipe burst', fire: 'Fire', sos: 'Wearable SOS',
    injected: 'Injected: ', docs: 'API docs', attribution: 'Map data © OpenStreetMap contributors', language: '中文',
    traffic: 'Traffic flow/speed', air_quality: 'Air quality', noise: 'Noise', water_level: 'Water level', rainfall: 'Rainfall',
    pipe: 'Pipe pressure/flow', energy: 'Energy load', crowd: 'Crowd density', parking: 'Parking occupancy', tilt: 'Manhole/structure tilt', smoke: 'Smoke', sos_class: 'Wearable SOS',
  },
};
