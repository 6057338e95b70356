/** Ant Design themes: the standard one and the elderly-friendly (适老化) one — large type, high contrast, big targets. */
import type { ThemeConfig } from 'antd';

// antd's default link blue, error red, warning amber and secondary/placeholder greys fail WCAG AA contrast on white (1.9–4.1:1); these pass (≥ 4.5:1).
export const standardTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1554ad', colorLink: '#1554ad', colorError: '#cf1322', colorWarning: '#ad6800', borderRadius: 6, fontSize: 14,
    colorTextTertiary: '#595959', colorTextDescription: '#595959', colorTextPlaceholder: '#737373',
  },
};

export const elderlyTheme: ThemeConfig = {
  token: {
    colorPrimary: '#0a3d91',
    colorLink: '#0a3d91',
    colorError: '#a8071a',
    colorWarning: '#613400',
    colorText: '#000000',
    colorTextSecondary: '#1f1f1f',
    colorTextTertiary: '#262626',
    colorTextDescription: '#262626',
    colorTextPlaceholder: '#595959',
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
