/** Ant Design themes: the standard one and the elderly-friendly (适老化) one — large type, high contrast, big targets. */
import type { ThemeConfig } from 'antd';

export const standardTheme: ThemeConfig = {
  token: { colorPrimary: '#1554ad', borderRadius: 6, fontSize: 14 },
};

export const elderlyTheme: ThemeConfig = {
  token: {
    colorPrimary: '#0a3d91',
    colorText: '#000000',
    colorTextSecondary: '#1f1f1f',
    colorBorder: '#1f1f1f',
    fontSize: 20,
    fontSizeLG: 24,
    fontSizeHeading1: 36,
    fontSizeHeading2: 30,
    fontSizeHeading3: 26,
    controlHeight: 52,
    controlHeightLG: 60,
    lineWidth: 2,
    borderRadius: 8,
  },
};
