/** The elderly-friendly mode switch (适老化), remembered in localStorage and applied as an antd theme plus a body class. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const KEY = 'cityops.elderly';

interface Preferences {
  elderly: boolean;
  setElderly(on: boolean): void;
}

const PreferencesContext = createContext<Preferences | null>(null);

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [elderly, setState] = useState<boolean>(() => localStorage.getItem(KEY) === '1');
  const setElderly = useCallback((on: boolean) => {
    localStorage.setItem(KEY, on ? '1' : '0');
    document.body.classList.toggle('elderly', on);
    setState(on);
  }, []);
  document.body.classList.toggle('elderly', elderly);
  const value = useMemo(() => ({ elderly, setElderly }), [elderly, setElderly]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  const v = useContext(PreferencesContext);
  if (!v) throw new Error('usePreferences outside PreferencesProvider');
  return v;
}
