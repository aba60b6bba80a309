import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The architecture, enforced: shared/ is the pure core, the server never reaches into the client,
// and the two pages meet only in client/common and shared/.
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'test-output/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      {
        group: ['**/client/**', '**/server/**'],
        message: 'shared/ is the pure core: no client or server imports.',
      },
      {
        group: [
          'react',
          'react-dom',
          'three',
          '@react-three/*',
          'socket.io',
          'socket.io-client',
          'node:*',
        ],
        message: 'shared/ has no React, three, socket.io or Node imports.',
      },
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([{ group: ['**/client/**'], message: 'The server never imports the client.' }]),
  },
  {
    files: ['client/patient/**/*.{ts,tsx}'],
    rules: restrict([
      {
        group: ['**/therapist/**'],
        message: 'Pages share code only through client/common and shared/.',
      },
    ]),
  },
  {
    files: ['client/therapist/**/*.{ts,tsx}'],
    rules: restrict([
      {
        group: ['**/patient/**'],
        message: 'Pages share code only through client/common and shared/.',
      },
    ]),
  },
);
