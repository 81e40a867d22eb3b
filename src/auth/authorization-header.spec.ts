import { readBearerToken } from './authorization-header';

describe(readBearerToken.name, () => {
  it('reads the token of a Bearer header, the scheme in any case', () => {
    expect(readBearerToken('Bearer abc.def.ghi')).toEqual({ token: 'abc.def.ghi' });
    expect(readBearerToken('bearer abc.def.ghi')).toEqual({ token: 'abc.def.ghi' });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Basic dXNlcjpwYXNz', 'other_scheme'],
    ['Token abc', 'other_scheme'],
    ['abc.def.ghi', 'other_scheme'],
    ['Bearer', 'malformed'],
    ['Bearer ', 'malformed'],
    ['Bearer a.b.c extra', 'malformed'],
    ['Bearer a,b', 'malformed'],
    ['Bearer "a.b.c"', 'malformed'],
  ])('%j → %s', (header, failure) => {
    expect(readBearerToken(header)).toEqual({ failure });
  });
});
